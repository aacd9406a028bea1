//! The tables of the open data: what each column holds, in the same order
//! as the CSV headers of the output specification.

use serde_json::json;

use crate::input::{Kind, Text, Val};
use crate::model::{Entry, Model};

use super::table::{Cell, Column, ForeignKey, Table, Type};

/// Vietnamese text of a label (the default language when it has none).
pub fn vi(t: &Text, model: &Model) -> String {
    t.get("vi", &model.input.site.language).to_string()
}

fn agency_name(model: &Model, id: &str) -> Cell {
    Cell::opt(model.agency(id), |a| Cell::Text(vi(&a.name, model)))
}

fn indicator_name(model: &Model, id: &str) -> Cell {
    let cat = &model.input.catalog;
    match (cat.indicator(id), cat.rate(id)) {
        (Some(i), _) => Cell::Text(vi(&i.name, model)),
        (_, Some(r)) => Cell::Text(vi(&r.name, model)),
        _ => Cell::Empty,
    }
}

/// A reported value, typed: a number, a flag or text.
pub fn value_cell(v: &Val) -> Cell {
    match v {
        Val::Num(n) => Cell::Num(*n),
        Val::Flag(b) => Cell::Bool(*b),
        Val::Text(s) => Cell::Text(s.clone()),
    }
}

fn year_col() -> Column {
    Column::new("year", Type::Year, "Năm", "Năm báo cáo")
}

fn agency_col() -> Column {
    Column::new(
        "agency",
        Type::String,
        "Mã cơ quan",
        "Mã cơ quan (xem agencies.csv)",
    )
}

fn agency_name_col() -> Column {
    Column::new("agency_name", Type::String, "Cơ quan", "Tên cơ quan").sheet_only()
}

fn count(name: &str, title: &str, description: &str) -> Column {
    Column::new(name, Type::Integer, title, description).constraints(json!({"minimum": 0}))
}

fn entries(model: &Model, up_to: Option<i32>) -> impl Iterator<Item = &Entry> {
    model
        .entries
        .iter()
        .filter(move |e| up_to.is_none_or(|y| e.report.year <= y))
}

/// Every table, with the reports of the years up to `up_to` (all when None).
pub fn tables(model: &Model, up_to: Option<i32>) -> Vec<Table> {
    vec![
        observations(model, up_to),
        rates(model, up_to),
        rankings(model, up_to),
        reports(model, up_to),
        agencies(model),
        indicators(model),
    ]
}

fn observations(model: &Model, up_to: Option<i32>) -> Table {
    let cat = &model.input.catalog;
    let mut rows = Vec::new();
    for e in entries(model, up_to) {
        let r = &e.report;
        for ind in &cat.indicators {
            let Some(o) = r.values.get(&ind.id) else {
                continue;
            };
            let Some(v) = &o.value else { continue };
            rows.push(vec![
                Cell::Year(r.year),
                Cell::text(&r.agency),
                agency_name(model, &r.agency),
                Cell::text(&ind.id),
                Cell::Text(vi(&ind.name, model)),
                value_cell(v),
                Cell::text(&ind.unit),
                Cell::opt_text(o.evidence.as_deref()),
            ]);
        }
    }
    Table {
        name: "observations",
        sheet: "Số liệu",
        title_vi: "Số liệu báo cáo".into(),
        description_vi: "Mỗi dòng là một số liệu do một cơ quan báo cáo trong một năm: năm, cơ quan, chỉ tiêu, giá trị, đơn vị và tài liệu kiểm chứng. Số liệu không báo cáo thì không có dòng.".into(),
        description_en: "Every reported value: year, agency, indicator, value, unit and evidence.".into(),
        columns: vec![
            year_col(),
            agency_col(),
            agency_name_col(),
            Column::new("indicator", Type::String, "Mã chỉ tiêu", "Mã chỉ tiêu (xem indicators.csv)"),
            Column::new("indicator_name", Type::String, "Chỉ tiêu", "Tên chỉ tiêu").sheet_only(),
            Column::new("value", Type::Value, "Giá trị", "Giá trị báo cáo: một số (viết liền, dấu chấm thập phân), true/false, hoặc văn bản, tùy loại chỉ tiêu (cột kind của indicators.csv)"),
            Column::new("unit", Type::String, "Đơn vị", "Đơn vị của giá trị"),
            Column::new("evidence", Type::String, "Tài liệu kiểm chứng", "Văn bản cơ quan dẫn làm căn cứ"),
        ],
        rows,
        primary_key: vec!["year", "agency", "indicator"],
        foreign_keys: vec![
            ForeignKey::new(&["year", "agency"], Some("reports"), &["year", "agency"]),
            ForeignKey::new(&["agency"], Some("agencies"), &["agency"]),
            ForeignKey::new(&["indicator"], Some("indicators"), &["id"]),
        ],
    }
}

fn rates(model: &Model, up_to: Option<i32>) -> Table {
    let mut rows = Vec::new();
    for e in entries(model, up_to) {
        let r = &e.report;
        for rv in &e.rates {
            let Some(p) = rv.percent else { continue };
            rows.push(vec![
                Cell::Year(r.year),
                Cell::text(&r.agency),
                agency_name(model, &r.agency),
                Cell::text(&rv.rate),
                indicator_name(model, &rv.rate),
                Cell::opt(rv.numerator, Cell::Int),
                Cell::opt(rv.denominator, Cell::Int),
                Cell::Percent(p),
                if rv.flags.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(
                        rv.flags
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(";"),
                    )
                },
            ]);
        }
    }
    Table {
        name: "rates",
        sheet: "Tỷ lệ",
        title_vi: "Các tỷ lệ".into(),
        description_vi: "Mỗi tỷ lệ tính được: tử số chia mẫu số của cùng một báo cáo, nhân 100, làm tròn hai chữ số thập phân (nửa làm tròn ra xa số 0). Tỷ lệ không tính được (thiếu số liệu hoặc mẫu số bằng 0) thì không có dòng.".into(),
        description_en: "Every computable rate, as a percentage with two decimals, with its numerator and denominator.".into(),
        columns: vec![
            year_col(),
            agency_col(),
            agency_name_col(),
            Column::new("rate", Type::String, "Mã tỷ lệ", "Mã tỷ lệ (xem indicators.csv)"),
            Column::new("rate_name", Type::String, "Tỷ lệ", "Tên tỷ lệ").sheet_only(),
            count("numerator", "Tử số", "Tử số"),
            count("denominator", "Mẫu số", "Mẫu số"),
            Column::new("percent", Type::Percent, "Tỷ lệ (%)", "Tử số / mẫu số × 100, làm tròn hai chữ số thập phân")
                .constraints(json!({"minimum": 0})),
            Column::new("flag", Type::String, "Lưu ý", "Cảnh báo chất lượng số liệu trên tử số hoặc mẫu số (exceeds-total, parts-mismatch), cách nhau bởi dấu ;"),
        ],
        rows,
        primary_key: vec!["year", "agency", "rate"],
        foreign_keys: vec![
            ForeignKey::new(&["year", "agency"], Some("reports"), &["year", "agency"]),
            ForeignKey::new(&["agency"], Some("agencies"), &["agency"]),
            ForeignKey::new(&["rate"], Some("indicators"), &["id"]),
        ],
    }
}

fn rankings(model: &Model, up_to: Option<i32>) -> Table {
    let mut standings: Vec<_> = entries(model, up_to).map(|e| &e.standing).collect();
    standings.sort_by(|a, b| {
        let pa = a.rank.as_ref().map_or(u32::MAX, |r| r.position);
        let pb = b.rank.as_ref().map_or(u32::MAX, |r| r.position);
        (a.year, &a.cohort, pa, &a.agency).cmp(&(b.year, &b.cohort, pb, &b.agency))
    });
    let rows = standings
        .into_iter()
        .map(|s| {
            vec![
                Cell::Year(s.year),
                Cell::text(&s.cohort),
                Cell::opt(model.cohort(&s.cohort), |c| Cell::Text(vi(&c.name, model))),
                Cell::text(&s.agency),
                agency_name(model, &s.agency),
                Cell::opt(s.score, Cell::Num),
                Cell::opt(s.score_max, Cell::Num),
                Cell::opt(s.rank.as_ref(), |r| Cell::Int(r.position.into())),
                Cell::opt(s.rank.as_ref(), |r| Cell::Int(r.of.into())),
                Cell::opt(s.change, Cell::Int),
                Cell::opt(s.rank.as_ref(), |r| Cell::text(r.source.as_str())),
            ]
        })
        .collect();
    Table {
        name: "rankings",
        sheet: "Xếp hạng",
        title_vi: "Điểm và xếp hạng".into(),
        description_vi: "Điểm và thứ hạng của từng cơ quan trong nhóm xếp hạng, theo năm, với thay đổi so với năm trước (dương là tăng bậc). Hạng chính thức lấy theo quyết định; nếu không có, hạng được tính từ điểm khi mọi cơ quan trong nhóm đều có điểm.".into(),
        description_en: "Scores and ranks of each agency in its cohort, with the change from the year before.".into(),
        columns: vec![
            year_col(),
            Column::new("cohort", Type::String, "Mã nhóm", "Mã nhóm xếp hạng"),
            Column::new("cohort_name", Type::String, "Nhóm xếp hạng", "Tên nhóm xếp hạng").sheet_only(),
            agency_col(),
            agency_name_col(),
            Column::new("score", Type::Number, "Điểm", "Điểm đánh giá"),
            Column::new("score_max", Type::Number, "Điểm tối đa", "Điểm tối đa"),
            Column::new("rank", Type::Integer, "Hạng", "Thứ hạng trong nhóm, 1 là cao nhất").constraints(json!({"minimum": 1})),
            Column::new("rank_of", Type::Integer, "Trên tổng số", "Số cơ quan được xếp hạng").constraints(json!({"minimum": 1})),
            Column::new("rank_change", Type::Integer, "Thay đổi hạng", "Hạng năm trước trừ hạng năm nay: dương là tăng bậc"),
            Column::new("rank_source", Type::String, "Nguồn xếp hạng", "official (theo quyết định) hoặc computed (tính từ điểm)")
                .constraints(json!({"enum": ["official", "computed"]})),
        ],
        rows,
        primary_key: vec!["year", "agency"],
        foreign_keys: vec![
            ForeignKey::new(&["year", "agency"], Some("reports"), &["year", "agency"]),
            ForeignKey::new(&["agency"], Some("agencies"), &["agency"]),
        ],
    }
}

fn reports(model: &Model, up_to: Option<i32>) -> Table {
    let rows = entries(model, up_to)
        .map(|e| {
            let r = &e.report;
            let src = r.source.as_ref();
            vec![
                Cell::Year(r.year),
                Cell::text(&r.agency),
                agency_name(model, &r.agency),
                Cell::opt(r.period, |(f, _)| Cell::Date(f)),
                Cell::opt(r.period, |(_, t)| Cell::Date(t)),
                Cell::opt_text(src.and_then(|s| s.title.as_deref())),
                Cell::opt_text(src.and_then(|s| s.reference.as_deref())),
                Cell::opt_text(src.and_then(|s| s.url.as_deref())),
                Cell::opt(r.score.as_ref(), |s| Cell::Num(s.value)),
                Cell::opt(r.score.as_ref().and_then(|s| s.max), Cell::Num),
                Cell::opt(r.score.as_ref().and_then(|s| s.self_assessed), Cell::Bool),
                Cell::opt_text(r.rank.as_ref().and_then(|k| k.decision.as_deref())),
                Cell::Int(r.values.values().filter(|o| o.value.is_some()).count() as i64),
                Cell::opt_text(r.notes.as_deref().map(str::trim_end)),
            ]
        })
        .collect();
    Table {
        name: "reports",
        sheet: "Báo cáo",
        title_vi: "Các báo cáo".into(),
        description_vi: "Mỗi báo cáo của một cơ quan trong một năm: kỳ báo cáo, văn bản nguồn, điểm tự đánh giá, quyết định xếp hạng, số chỉ tiêu đã báo cáo và ghi chú của cơ quan.".into(),
        description_en: "One row per report: period, source document, score, ranking decision, number of values reported and the agency's notes.".into(),
        columns: vec![
            year_col(),
            agency_col(),
            agency_name_col(),
            Column::new("period_from", Type::Date, "Từ ngày", "Ngày đầu kỳ báo cáo"),
            Column::new("period_to", Type::Date, "Đến ngày", "Ngày cuối kỳ báo cáo (số liệu tính đến ngày này)"),
            Column::new("source_title", Type::String, "Văn bản nguồn", "Tên báo cáo nguồn"),
            Column::new("source_reference", Type::String, "Số, ký hiệu", "Số, ký hiệu của văn bản nguồn"),
            Column::new("source_url", Type::String, "Đường dẫn nguồn", "Địa chỉ của văn bản nguồn"),
            Column::new("score", Type::Number, "Điểm", "Điểm đánh giá"),
            Column::new("score_max", Type::Number, "Điểm tối đa", "Điểm tối đa"),
            Column::new("self_assessed", Type::Boolean, "Tự đánh giá", "Điểm do cơ quan tự đánh giá"),
            Column::new("rank_decision", Type::String, "Quyết định xếp hạng", "Văn bản công bố xếp hạng chính thức"),
            count("values_reported", "Số chỉ tiêu có số liệu", "Số chỉ tiêu có giá trị trong báo cáo"),
            Column::new("notes", Type::String, "Ghi chú", "Ghi chú của cơ quan (Markdown)"),
        ],
        rows,
        primary_key: vec!["year", "agency"],
        foreign_keys: vec![ForeignKey::new(&["agency"], Some("agencies"), &["agency"])],
    }
}

fn agencies(model: &Model) -> Table {
    let site = &model.input.site;
    let langs = &site.languages;
    let default = site.language.as_str();
    let mut columns = vec![agency_col()];
    for l in langs {
        columns.push(Column::new(
            format!("name_{l}"),
            Type::String,
            format!("Tên ({l})"),
            format!("Tên cơ quan ({l})"),
        ));
    }
    columns.push(Column::new(
        "short",
        Type::String,
        "Tên viết tắt",
        "Tên viết tắt",
    ));
    columns.push(Column::new(
        "cohort",
        Type::String,
        "Mã nhóm",
        "Mã nhóm xếp hạng",
    ));
    for l in langs {
        columns.push(Column::new(
            format!("cohort_name_{l}"),
            Type::String,
            format!("Nhóm xếp hạng ({l})"),
            format!("Tên nhóm xếp hạng ({l})"),
        ));
    }
    columns.push(Column::new(
        "province",
        Type::String,
        "Tỉnh",
        "Tỉnh, thành phố",
    ));
    columns.push(Column::new(
        "website",
        Type::String,
        "Trang thông tin",
        "Trang thông tin điện tử",
    ));
    let rows = model
        .input
        .agencies
        .iter()
        .map(|a| {
            let mut row = vec![Cell::text(&a.id)];
            row.extend(langs.iter().map(|l| Cell::text(a.name.get(l, default))));
            row.push(Cell::opt_text(a.short.as_deref()));
            row.push(Cell::text(&a.cohort));
            let cohort = model.cohort(&a.cohort);
            row.extend(
                langs
                    .iter()
                    .map(|l| Cell::opt(cohort, |c| Cell::text(c.name.get(l, default)))),
            );
            row.push(Cell::opt_text(a.province.as_deref()));
            row.push(Cell::opt_text(a.website.as_deref()));
            row
        })
        .collect();
    Table {
        name: "agencies",
        sheet: "Cơ quan",
        title_vi: "Danh sách cơ quan".into(),
        description_vi: "Danh sách các cơ quan báo cáo và nhóm xếp hạng của từng cơ quan.".into(),
        description_en: "The registry of agencies and their cohorts.".into(),
        columns,
        rows,
        primary_key: vec!["agency"],
        foreign_keys: vec![],
    }
}

fn indicators(model: &Model) -> Table {
    let site = &model.input.site;
    let langs = &site.languages;
    let default = site.language.as_str();
    let cat = &model.input.catalog;
    let mut columns = vec![
        Column::new("id", Type::String, "Mã", "Mã chỉ tiêu hoặc tỷ lệ"),
        Column::new("type", Type::String, "Loại mục", "indicator (chỉ tiêu báo cáo) hoặc rate (tỷ lệ tính từ hai chỉ tiêu)")
            .constraints(json!({"enum": ["indicator", "rate"]})),
        Column::new("kind", Type::String, "Kiểu giá trị", "count (số đếm), number (số), percent (phần trăm), money_vnd (tiền, đồng), flag (có/không) hoặc text (văn bản)")
            .constraints(json!({"enum": ["count", "number", "percent", "money_vnd", "flag", "text"]})),
        Column::new("group", Type::String, "Nhóm", "Nhóm chỉ tiêu"),
        Column::new("unit", Type::String, "Đơn vị", "Đơn vị"),
    ];
    for l in langs {
        columns.push(Column::new(
            format!("name_{l}"),
            Type::String,
            format!("Tên ({l})"),
            format!("Tên ({l})"),
        ));
    }
    columns.extend([
        Column::new(
            "at_most",
            Type::String,
            "Không lớn hơn",
            "Chỉ tiêu mà chỉ tiêu này không được vượt quá",
        ),
        Column::new(
            "parts",
            Type::String,
            "Gồm các phần",
            "Các chỉ tiêu cộng lại bằng chỉ tiêu này, cách nhau bởi dấu cách",
        ),
        Column::new("numerator", Type::String, "Tử số", "Tử số của tỷ lệ"),
        Column::new("denominator", Type::String, "Mẫu số", "Mẫu số của tỷ lệ"),
        Column::new(
            "headline",
            Type::Boolean,
            "Tỷ lệ chính",
            "Tỷ lệ chính, hiển thị ở trang tổng quan",
        ),
        Column::new(
            "core",
            Type::Boolean,
            "Thuộc danh mục chung",
            "Thuộc danh mục chung của minhbach (không do trang tự thêm)",
        ),
    ]);
    let mut rows = Vec::new();
    for i in &cat.indicators {
        let mut row = vec![
            Cell::text(&i.id),
            Cell::text("indicator"),
            Cell::text(i.kind.as_str()),
            Cell::text(&i.group),
            Cell::text(&i.unit),
        ];
        row.extend(langs.iter().map(|l| Cell::text(i.name.get(l, default))));
        row.extend([
            Cell::opt_text(i.at_most.as_deref()),
            if i.parts.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(i.parts.join(" "))
            },
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Bool(i.core),
        ]);
        rows.push(row);
    }
    for r in &cat.rates {
        let mut row = vec![
            Cell::text(&r.id),
            Cell::text("rate"),
            Cell::text(Kind::Percent.as_str()),
            Cell::Empty,
            Cell::text("percent"),
        ];
        row.extend(langs.iter().map(|l| Cell::text(r.name.get(l, default))));
        row.extend([
            Cell::Empty,
            Cell::Empty,
            Cell::text(&r.numerator),
            Cell::text(&r.denominator),
            Cell::Bool(r.headline),
            Cell::Bool(r.core),
        ]);
        rows.push(row);
    }
    Table {
        name: "indicators",
        sheet: "Chỉ tiêu",
        title_vi: "Danh mục chỉ tiêu và tỷ lệ".into(),
        description_vi: "Danh mục các chỉ tiêu báo cáo và các tỷ lệ tính từ chúng, với kiểu giá trị, đơn vị và quy tắc kiểm tra.".into(),
        description_en: "The catalogue of indicators and rates.".into(),
        columns,
        rows,
        primary_key: vec!["id"],
        foreign_keys: vec![
            ForeignKey::new(&["at_most"], None, &["id"]),
            ForeignKey::new(&["numerator"], None, &["id"]),
            ForeignKey::new(&["denominator"], None, &["id"]),
        ],
    }
}

/// The figures of one agency, every year: reported values and computed
/// rates in one long table (`/agencies/<id>/data.csv`).
pub fn agency_table(model: &Model, agency: &str) -> Table {
    let cat = &model.input.catalog;
    let mut rows = Vec::new();
    for e in model.agency_entries(agency) {
        let r = &e.report;
        for ind in &cat.indicators {
            let Some(o) = r.values.get(&ind.id) else {
                continue;
            };
            let Some(v) = &o.value else { continue };
            rows.push(vec![
                Cell::Year(r.year),
                Cell::text(&r.agency),
                Cell::text("indicator"),
                Cell::text(&ind.id),
                value_cell(v),
                Cell::text(&ind.unit),
                Cell::Empty,
                Cell::Empty,
                Cell::opt_text(o.evidence.as_deref()),
                Cell::Empty,
            ]);
        }
        for rv in &e.rates {
            let Some(p) = rv.percent else { continue };
            rows.push(vec![
                Cell::Year(r.year),
                Cell::text(&r.agency),
                Cell::text("rate"),
                Cell::text(&rv.rate),
                Cell::Percent(p),
                Cell::text("percent"),
                Cell::opt(rv.numerator, Cell::Int),
                Cell::opt(rv.denominator, Cell::Int),
                Cell::Empty,
                if rv.flags.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(
                        rv.flags
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(";"),
                    )
                },
            ]);
        }
    }
    Table {
        name: "data",
        sheet: "Số liệu",
        title_vi: "Số liệu của cơ quan".into(),
        description_vi: "Số liệu báo cáo và các tỷ lệ của cơ quan qua các năm.".into(),
        description_en: "The agency's reported values and rates over the years.".into(),
        columns: vec![
            year_col(),
            agency_col(),
            Column::new(
                "type",
                Type::String,
                "Loại",
                "indicator (số liệu báo cáo) hoặc rate (tỷ lệ tính được)",
            ),
            Column::new("id", Type::String, "Mã", "Mã chỉ tiêu hoặc tỷ lệ"),
            Column::new(
                "value",
                Type::Value,
                "Giá trị",
                "Giá trị báo cáo, hoặc tỷ lệ phần trăm với hai chữ số thập phân",
            ),
            Column::new("unit", Type::String, "Đơn vị", "Đơn vị"),
            count("numerator", "Tử số", "Tử số của tỷ lệ"),
            count("denominator", "Mẫu số", "Mẫu số của tỷ lệ"),
            Column::new(
                "evidence",
                Type::String,
                "Tài liệu kiểm chứng",
                "Văn bản cơ quan dẫn làm căn cứ",
            ),
            Column::new(
                "flag",
                Type::String,
                "Lưu ý",
                "Cảnh báo chất lượng số liệu của tỷ lệ",
            ),
        ],
        rows,
        primary_key: vec!["year", "type", "id"],
        foreign_keys: vec![],
    }
}
