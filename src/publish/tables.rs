//! The tables of the open data: what each column holds, in the same order
//! as the CSV headers of the output specification.

use std::io;

use serde_json::json;

use crate::input::{Kind, Text, Val};
use crate::model::{Entry, Model, RateValue};

use super::table::{fixed_rows, Cell, Column, ForeignKey, RowSink, Table, Type};

/// Vietnamese text of a label (the default language when it has none).
pub fn vi(t: &Text, model: &Model) -> String {
    vi_ref(t, model).to_string()
}

/// [`vi`], borrowed.
fn vi_ref<'a>(t: &'a Text, model: &Model) -> &'a str {
    t.get("vi", &model.input.site.language)
}

fn agency_name<'a>(model: &'a Model, id: &str) -> Cell<'a> {
    Cell::opt(model.agency(id), |a| Cell::text(vi_ref(&a.name, model)))
}

fn indicator_name<'a>(model: &'a Model, id: &str) -> Cell<'a> {
    let cat = &model.input.catalog;
    match (cat.indicator(id), cat.rate(id)) {
        (Some(i), _) => Cell::text(vi_ref(&i.name, model)),
        (_, Some(r)) => Cell::text(vi_ref(&r.name, model)),
        _ => Cell::Empty,
    }
}

/// A reported value, typed: a number, a flag or text.
pub fn value_cell(v: &Val) -> Cell<'_> {
    match v {
        Val::Num(n) => Cell::Num(*n),
        Val::Flag(b) => Cell::Bool(*b),
        Val::Text(s) => Cell::text(s.as_str()),
    }
}

/// The quality flags of a rate, `;`-separated (empty when none).
fn rate_flags(rv: &RateValue) -> Cell<'static> {
    if rv.flags.is_empty() {
        Cell::Empty
    } else {
        Cell::text(
            rv.flags
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        )
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

/// The reports of `year`, or of every year when None, in model order.
fn entries(model: &Model, year: Option<i32>) -> Box<dyn Iterator<Item = &Entry> + '_> {
    match year {
        Some(y) => Box::new(model.entries.iter().filter(move |e| e.report.year == y)),
        None => Box::new(model.entries.iter()),
    }
}

/// Every table, with the reports of `year` only (of every year when None).
/// The tables make their rows when written.
pub fn tables(model: &Model, year: Option<i32>) -> Vec<Table<'_>> {
    let mut tables = vec![
        observations(model, year),
        rates(model, year),
        rankings(model, year),
        reports(model, year),
        agencies(model),
        indicators(model),
    ];
    tables.extend(super::scores::tables(model, year));
    tables
}

/// Which reported values a table of observations holds: every kind in one
/// `value` column (the CSV file), or one kind only, so that a worksheet's
/// value column has one type with no blanks (pandas reads a column of
/// flags with gaps as 1.0/0.0, readxl warns on a mixed column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Values {
    All,
    Numbers,
    Flags,
    Texts,
}

impl Values {
    /// Whether an indicator of this kind can report values of this sheet:
    /// validation makes a flag indicator's values flags, a text
    /// indicator's text and every other kind's numbers.
    fn may_hold(self, kind: Kind) -> bool {
        match self {
            Values::All => true,
            Values::Numbers => !matches!(kind, Kind::Flag | Kind::Text),
            Values::Flags => kind == Kind::Flag,
            Values::Texts => kind == Kind::Text,
        }
    }

    fn holds(self, v: &Val) -> bool {
        matches!(
            (self, v),
            (Values::All, _)
                | (Values::Numbers, Val::Num(_))
                | (Values::Flags, Val::Flag(_))
                | (Values::Texts, Val::Text(_))
        )
    }
}

fn observations(model: &Model, year: Option<i32>) -> Table<'_> {
    observations_of(model, year, Values::All)
}

fn observations_of(model: &Model, year: Option<i32>, which: Values) -> Table<'_> {
    // The name of each indicator whose values this table can hold, by its
    // place in the catalogue (none for the others), looked up once per
    // table rather than per row.
    let indicators = &model.input.catalog.indicators;
    let names: Vec<Option<&str>> = indicators
        .iter()
        .map(|i| which.may_hold(i.kind).then(|| vi_ref(&i.name, model)))
        .collect();
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        let mut row = Vec::with_capacity(8);
        for e in entries(model, year) {
            let r = &e.report;
            let agency = agency_name(model, &r.agency);
            for (p, o) in model.observations(e) {
                let (Some(ind), Some(&Some(name))) = (indicators.get(p), names.get(p)) else {
                    continue;
                };
                let Some(v) = o.value.as_ref().filter(|v| which.holds(v)) else {
                    continue;
                };
                row.clear();
                row.extend([
                    Cell::Year(r.year),
                    Cell::text(r.agency.as_str()),
                    agency.clone(),
                    Cell::text(ind.id.as_str()),
                    Cell::text(name),
                    value_cell(v),
                    Cell::text(ind.unit.as_str()),
                    Cell::opt_text(o.evidence.as_deref()),
                ]);
                sink(&row)?;
            }
        }
        Ok(())
    };
    let (sheet, value) = match which {
        Values::All => ("Số liệu", Column::new("value", Type::Value, "Giá trị", "Giá trị báo cáo: một số (viết liền, dấu chấm thập phân), true/false, hoặc văn bản, tùy loại chỉ tiêu (cột kind của indicators.csv)")),
        Values::Numbers => ("Số liệu", Column::new("value", Type::Number, "Giá trị", "Giá trị báo cáo của chỉ tiêu kiểu số (số đếm, số, phần trăm, tiền), theo đơn vị ở cột Đơn vị; chỉ tiêu có/không và văn bản ở hai trang sau")),
        Values::Flags => ("Số liệu có-không", Column::new("value", Type::Boolean, "Giá trị (có/không)", "Giá trị báo cáo của chỉ tiêu kiểu có/không: TRUE là có, FALSE là không (true/false trong CSV)")),
        Values::Texts => ("Số liệu văn bản", Column::new("value", Type::String, "Giá trị (văn bản)", "Giá trị báo cáo của chỉ tiêu kiểu văn bản, đúng như cơ quan báo cáo")),
    };
    let description_vi = match which {
        Values::All | Values::Numbers => "Mỗi dòng là một số liệu do một cơ quan báo cáo trong một năm: năm, cơ quan, chỉ tiêu, giá trị, đơn vị và tài liệu kiểm chứng. Số liệu không báo cáo thì không có dòng.",
        Values::Flags => "Các số liệu có/không (ví dụ có mạng LAN), mỗi dòng một số liệu do một cơ quan báo cáo trong một năm.",
        Values::Texts => "Các số liệu dạng văn bản, mỗi dòng một số liệu do một cơ quan báo cáo trong một năm.",
    };
    let description_vi = if which == Values::Numbers {
        format!("{description_vi} Trang này có các số liệu kiểu số; số liệu có/không và văn bản ở hai trang sau.")
    } else {
        description_vi.to_string()
    };
    Table {
        name: "observations",
        sheet,
        title_vi: "Số liệu báo cáo".into(),
        description_vi,
        description_en: "Every reported value: year, agency, indicator, value, unit and evidence."
            .into(),
        columns: vec![
            year_col(),
            agency_col(),
            agency_name_col(),
            Column::new(
                "indicator",
                Type::String,
                "Mã chỉ tiêu",
                "Mã chỉ tiêu (xem indicators.csv)",
            ),
            Column::new("indicator_name", Type::String, "Chỉ tiêu", "Tên chỉ tiêu").sheet_only(),
            value,
            Column::new("unit", Type::String, "Đơn vị", "Đơn vị của giá trị"),
            Column::new(
                "evidence",
                Type::String,
                "Tài liệu kiểm chứng",
                "Văn bản cơ quan dẫn làm căn cứ",
            ),
        ],
        rows: Box::new(rows),
        primary_key: vec!["year", "agency", "indicator"],
        foreign_keys: vec![
            ForeignKey::new(&["year", "agency"], Some("reports"), &["year", "agency"]),
            ForeignKey::new(&["agency"], Some("agencies"), &["agency"]),
            ForeignKey::new(&["indicator"], Some("indicators"), &["id"]),
        ],
    }
}

/// The sheets of a workbook, with the reports of `year` only (of every
/// year when None): the tables of [`tables`], the reported values split by
/// kind into three sheets.
pub fn sheets(model: &Model, year: Option<i32>) -> Vec<Table<'_>> {
    let mut sheets = vec![
        observations_of(model, year, Values::Numbers),
        observations_of(model, year, Values::Flags),
        observations_of(model, year, Values::Texts),
        rates(model, year),
        rankings(model, year),
        reports(model, year),
        agencies(model),
        indicators(model),
    ];
    sheets.extend(super::scores::tables(model, year));
    sheets
}

fn rates(model: &Model, year: Option<i32>) -> Table<'_> {
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        let mut row = Vec::with_capacity(9);
        for e in entries(model, year) {
            let r = &e.report;
            let agency = agency_name(model, &r.agency);
            for rv in &e.rates {
                let Some(p) = rv.percent else { continue };
                row.clear();
                row.extend([
                    Cell::Year(r.year),
                    Cell::text(r.agency.as_str()),
                    agency.clone(),
                    Cell::text(rv.rate.as_str()),
                    indicator_name(model, &rv.rate),
                    Cell::opt(rv.numerator, Cell::Int),
                    Cell::opt(rv.denominator, Cell::Int),
                    Cell::Percent(p),
                    rate_flags(rv),
                ]);
                sink(&row)?;
            }
        }
        Ok(())
    };
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
        rows: Box::new(rows),
        primary_key: vec!["year", "agency", "rate"],
        foreign_keys: vec![
            ForeignKey::new(&["year", "agency"], Some("reports"), &["year", "agency"]),
            ForeignKey::new(&["agency"], Some("agencies"), &["agency"]),
            ForeignKey::new(&["rate"], Some("indicators"), &["id"]),
        ],
    }
}

fn rankings(model: &Model, year: Option<i32>) -> Table<'_> {
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        // Sorted references to the standings only: a few bytes per report.
        let mut standings: Vec<_> = entries(model, year).map(|e| &e.standing).collect();
        standings.sort_by(|a, b| {
            let pa = a.rank.as_ref().map_or(u32::MAX, |r| r.position);
            let pb = b.rank.as_ref().map_or(u32::MAX, |r| r.position);
            (a.year, &a.cohort, pa, &a.agency).cmp(&(b.year, &b.cohort, pb, &b.agency))
        });
        let mut row = Vec::with_capacity(11);
        for s in standings {
            row.clear();
            row.extend([
                Cell::Year(s.year),
                Cell::text(s.cohort.as_str()),
                Cell::opt(model.cohort(&s.cohort), |c| {
                    Cell::text(vi_ref(&c.name, model))
                }),
                Cell::text(s.agency.as_str()),
                agency_name(model, &s.agency),
                Cell::opt(s.score, Cell::Num),
                Cell::opt(s.score_max, Cell::Num),
                Cell::opt(s.rank.as_ref(), |r| Cell::Int(r.position.into())),
                Cell::opt(s.rank.as_ref(), |r| Cell::Int(r.of.into())),
                Cell::opt(s.change, Cell::Int),
                Cell::opt(s.rank.as_ref(), |r| Cell::text(r.source.as_str())),
            ]);
            sink(&row)?;
        }
        Ok(())
    };
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
        rows: Box::new(rows),
        primary_key: vec!["year", "agency"],
        foreign_keys: vec![
            ForeignKey::new(&["year", "agency"], Some("reports"), &["year", "agency"]),
            ForeignKey::new(&["agency"], Some("agencies"), &["agency"]),
        ],
    }
}

fn reports(model: &Model, year: Option<i32>) -> Table<'_> {
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        let mut row = Vec::with_capacity(14);
        for e in entries(model, year) {
            let r = &e.report;
            let src = r.source.as_ref();
            row.clear();
            row.extend([
                Cell::Year(r.year),
                Cell::text(r.agency.as_str()),
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
                Cell::Int(i64::try_from(e.values_reported).unwrap_or(i64::MAX)),
                Cell::opt_text(r.notes.as_deref().map(str::trim_end)),
            ]);
            sink(&row)?;
        }
        Ok(())
    };
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
        rows: Box::new(rows),
        primary_key: vec!["year", "agency"],
        foreign_keys: vec![ForeignKey::new(&["agency"], Some("agencies"), &["agency"])],
    }
}

fn agencies(model: &Model) -> Table<'_> {
    let site = &model.input.site;
    let langs = &site.languages;
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
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        let langs = &model.input.site.languages;
        let default = model.input.site.language.as_str();
        let mut row = Vec::new();
        for a in &model.input.agencies {
            row.clear();
            row.push(Cell::text(a.id.as_str()));
            row.extend(langs.iter().map(|l| Cell::text(a.name.get(l, default))));
            row.push(Cell::opt_text(a.short.as_deref()));
            row.push(Cell::text(a.cohort.as_str()));
            let cohort = model.cohort(&a.cohort);
            row.extend(
                langs
                    .iter()
                    .map(|l| Cell::opt(cohort, |c| Cell::text(c.name.get(l, default)))),
            );
            row.push(Cell::opt_text(a.province.as_deref()));
            row.push(Cell::opt_text(a.website.as_deref()));
            sink(&row)?;
        }
        Ok(())
    };
    Table {
        name: "agencies",
        sheet: "Cơ quan",
        title_vi: "Danh sách cơ quan".into(),
        description_vi: "Danh sách các cơ quan báo cáo và nhóm xếp hạng của từng cơ quan.".into(),
        description_en: "The registry of agencies and their cohorts.".into(),
        columns,
        rows: Box::new(rows),
        primary_key: vec!["agency"],
        foreign_keys: vec![],
    }
}

fn indicators(model: &Model) -> Table<'_> {
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
            Cell::text(i.id.as_str()),
            Cell::text("indicator"),
            Cell::text(i.kind.as_str()),
            Cell::text(i.group.as_str()),
            Cell::text(i.unit.as_str()),
        ];
        row.extend(langs.iter().map(|l| Cell::text(i.name.get(l, default))));
        row.extend([
            Cell::opt_text(i.at_most.as_deref()),
            if i.parts.is_empty() {
                Cell::Empty
            } else {
                Cell::text(i.parts.join(" "))
            },
            Cell::Empty,
            Cell::Empty,
            // Only a rate can be a headline rate.
            Cell::Bool(false),
            Cell::Bool(i.core),
        ]);
        rows.push(row);
    }
    for r in &cat.rates {
        let mut row = vec![
            Cell::text(r.id.as_str()),
            Cell::text("rate"),
            Cell::text(Kind::Percent.as_str()),
            Cell::Empty,
            Cell::text("percent"),
        ];
        row.extend(langs.iter().map(|l| Cell::text(r.name.get(l, default))));
        row.extend([
            Cell::Empty,
            Cell::Empty,
            Cell::text(r.numerator.as_str()),
            Cell::text(r.denominator.as_str()),
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
        rows: fixed_rows(rows),
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
pub fn agency_table<'a>(model: &'a Model, agency: &'a str) -> Table<'a> {
    let cat = &model.input.catalog;
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        let mut row = Vec::with_capacity(10);
        for e in model.agency_entries(agency) {
            let r = &e.report;
            for (p, o) in model.observations(e) {
                let (Some(ind), Some(v)) = (cat.indicators.get(p), &o.value) else {
                    continue;
                };
                row.clear();
                row.extend([
                    Cell::Year(r.year),
                    Cell::text(r.agency.as_str()),
                    Cell::text("indicator"),
                    Cell::text(ind.id.as_str()),
                    value_cell(v),
                    Cell::text(ind.unit.as_str()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::opt_text(o.evidence.as_deref()),
                    Cell::Empty,
                ]);
                sink(&row)?;
            }
            for rv in &e.rates {
                let Some(p) = rv.percent else { continue };
                row.clear();
                row.extend([
                    Cell::Year(r.year),
                    Cell::text(r.agency.as_str()),
                    Cell::text("rate"),
                    Cell::text(rv.rate.as_str()),
                    Cell::Percent(p),
                    Cell::text("percent"),
                    Cell::opt(rv.numerator, Cell::Int),
                    Cell::opt(rv.denominator, Cell::Int),
                    Cell::Empty,
                    rate_flags(rv),
                ]);
                sink(&row)?;
            }
        }
        Ok(())
    };
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
        rows: Box::new(rows),
        primary_key: vec!["year", "type", "id"],
        foreign_keys: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(t: &Table<'_>) -> Vec<String> {
        let mut out = Vec::new();
        t.for_each_row(&mut |r| {
            out.push(format!("{r:?}"));
            Ok(())
        })
        .expect("rows");
        out
    }

    #[test]
    fn the_value_sheets_split_the_observations_by_kind() {
        let model = crate::site::sample_model();
        for year in [None, Some(2022)] {
            let all = observations(&model, year);
            let mut expected = [Vec::new(), Vec::new(), Vec::new()];
            all.for_each_row(&mut |r| {
                let i = match r[5] {
                    Cell::Num(_) => 0,
                    Cell::Bool(_) => 1,
                    _ => 2,
                };
                expected[i].push(format!("{r:?}"));
                Ok(())
            })
            .expect("rows");
            // The sample reports numbers and flags.
            assert!(
                !expected[0].is_empty() && !expected[1].is_empty(),
                "{year:?}"
            );
            for (which, expected) in [Values::Numbers, Values::Flags, Values::Texts]
                .into_iter()
                .zip(expected)
            {
                assert_eq!(rows(&observations_of(&model, year, which)), expected);
            }
        }
    }
}
