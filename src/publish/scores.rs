//! The open data of scoring rubrics (RUBRICS.md section 6): `scores.csv`,
//! one row per report and leaf criterion, and `rubrics.csv`, every section,
//! group and criterion with its rule in words. Both only when the site has
//! a rubric, so that other sites' open data stays as it was.

use std::io;

use serde_json::json;

use crate::exact::Q;
use crate::format::Lang;
use crate::input::rubric::{Body, Criterion};
use crate::input::Num;
use crate::model::Model;
use crate::scoring::words::{self, Style};

use super::table::{Cell, Column, ForeignKey, RowSink, Table, Type};

/// Points as a number cell: an integer when whole, else its two decimals.
pub fn points_cell(q: Q) -> Cell<'static> {
    let plain = q.plain(2);
    match plain.parse::<i64>() {
        Ok(i) => Cell::Num(Num::Int(i)),
        Err(_) => Cell::Num(Num::Float(plain.parse::<f64>().unwrap_or(q.as_f64()))),
    }
}

/// The rubric tables, or none when the site has no rubric.
pub fn tables(model: &Model, year: Option<i32>) -> Vec<Table<'_>> {
    if model.input.rubrics.is_empty() {
        return Vec::new();
    }
    vec![scores(model, year), rubrics(model)]
}

fn scores(model: &Model, year: Option<i32>) -> Table<'_> {
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        let mut row = Vec::with_capacity(8);
        for e in &model.entries {
            if year.is_some_and(|y| y != e.report.year) {
                continue;
            }
            let Some(s) = &e.score else { continue };
            for l in &s.leaves {
                row.clear();
                row.extend([
                    Cell::Year(e.report.year),
                    Cell::text(e.report.agency.as_str()),
                    Cell::text(s.rubric.as_str()),
                    Cell::text(l.id.as_str()),
                    points_cell(l.max),
                    Cell::opt(l.self_assessed, points_cell),
                    Cell::opt(l.recomputed, points_cell),
                    Cell::text(l.status.as_str()),
                ]);
                sink(&row)?;
            }
        }
        Ok(())
    };
    Table {
        name: "scores",
        sheet: "Chấm điểm",
        title_vi: "Điểm theo bộ tiêu chí".into(),
        description_vi: "Mỗi tiêu chí chấm điểm của mỗi báo cáo: điểm tối đa, điểm tự đánh giá, điểm tính lại từ số liệu của báo cáo (để trống khi tiêu chí do đoàn đánh giá chấm hoặc thiếu số liệu) và kết quả đối chiếu.".into(),
        description_en: "One row per report and leaf criterion of its rubric: maximum, self-assessed points, points recomputed from the report's figures (empty when judged or figures are missing) and the status.".into(),
        columns: vec![
            Column::new("year", Type::Year, "Năm", "Năm báo cáo"),
            Column::new("agency", Type::String, "Mã cơ quan", "Mã cơ quan (xem agencies.csv)"),
            Column::new("rubric", Type::String, "Bộ tiêu chí", "Mã bộ tiêu chí (xem rubrics.csv)"),
            Column::new("criterion", Type::String, "Tiêu chí", "Mã tiêu chí trong bộ tiêu chí"),
            Column::new("max", Type::Number, "Điểm tối đa", "Điểm tối đa của tiêu chí").constraints(json!({"minimum": 0})),
            Column::new("self_assessed", Type::Number, "Điểm tự đánh giá", "Điểm cơ quan tự đánh giá").constraints(json!({"minimum": 0})),
            Column::new("recomputed", Type::Number, "Điểm theo số liệu", "Điểm tính lại từ số liệu của báo cáo, làm tròn 2 chữ số thập phân").constraints(json!({"minimum": 0})),
            Column::new("status", Type::String, "Đối chiếu", "match (khớp), differs (khác), judged (đoàn đánh giá chấm), not_recomputable (thiếu số liệu), not_assessed (chưa tự đánh giá)")
                .constraints(json!({"enum": ["match", "differs", "judged", "not_recomputable", "not_assessed"]})),
        ],
        rows: Box::new(rows),
        primary_key: vec!["year", "agency", "criterion"],
        foreign_keys: vec![
            ForeignKey::new(&["year", "agency"], Some("reports"), &["year", "agency"]),
            ForeignKey::new(&["rubric", "criterion"], Some("rubrics"), &["rubric", "criterion"]),
        ],
    }
}

fn rubrics(model: &Model) -> Table<'_> {
    let rows = move |sink: &mut RowSink<'_>| -> io::Result<()> {
        let lang = model.input.site.language.as_str();
        let style = Style::People(Lang::from_code(lang));
        let cat = &model.input.catalog;
        let mut row = Vec::with_capacity(6);
        fn walk<'m>(out: &mut Vec<(&'m Criterion, &'m str)>, cs: &'m [Criterion], parent: &'m str) {
            for c in cs {
                out.push((c, parent));
                if let Body::Group(ch) = &c.body {
                    walk(out, ch, &c.id);
                }
            }
        }
        for r in &model.input.rubrics {
            for s in &r.sections {
                row.clear();
                row.extend([
                    Cell::text(r.id.as_str()),
                    Cell::text(s.id.as_str()),
                    Cell::Empty,
                    Cell::text(s.name.get(lang, lang)),
                    points_cell(s.max),
                    Cell::Empty,
                ]);
                sink(&row)?;
                let mut flat = Vec::new();
                walk(&mut flat, &s.criteria, &s.id);
                for (c, parent) in flat {
                    let rule = match &c.body {
                        Body::Leaf(rule) => Cell::text(words::rule(rule, c.max, cat, style)),
                        Body::Group(_) => Cell::Empty,
                    };
                    row.clear();
                    row.extend([
                        Cell::text(r.id.as_str()),
                        Cell::text(c.id.as_str()),
                        Cell::text(parent),
                        Cell::text(c.name.get(lang, lang)),
                        points_cell(c.max),
                        rule,
                    ]);
                    sink(&row)?;
                }
            }
        }
        Ok(())
    };
    Table {
        name: "rubrics",
        sheet: "Bộ tiêu chí",
        title_vi: "Các bộ tiêu chí chấm điểm".into(),
        description_vi: "Các phần, nhóm và tiêu chí của mỗi bộ tiêu chí chấm điểm, với điểm tối đa và cách tính điểm (để trống với phần và nhóm tiêu chí).".into(),
        description_en: "The sections, groups and criteria of each scoring rubric, with their maximum and their rule in words (empty for sections and groups).".into(),
        columns: vec![
            Column::new("rubric", Type::String, "Bộ tiêu chí", "Mã bộ tiêu chí (tên tệp trong data/rubrics/)"),
            Column::new("criterion", Type::String, "Tiêu chí", "Mã phần, nhóm hoặc tiêu chí"),
            Column::new("parent", Type::String, "Thuộc", "Mã phần hoặc nhóm chứa tiêu chí (trống với một phần)"),
            Column::new("name", Type::String, "Nội dung", "Nội dung tiêu chí"),
            Column::new("max", Type::Number, "Điểm tối đa", "Điểm tối đa").constraints(json!({"minimum": 0})),
            Column::new("rule", Type::String, "Cách tính", "Cách tính điểm"),
        ],
        rows: Box::new(rows),
        primary_key: vec!["rubric", "criterion"],
        foreign_keys: vec![],
    }
}

/// The `scores` of a report in `minhbach.json`, when a rubric scores it.
pub fn report_json(e: &crate::model::Entry) -> Option<serde_json::Value> {
    let s = e.score.as_ref()?;
    Some(json!({
        "rubric": s.rubric,
        "max": s.max,
        "self_assessed_total": s.self_total.round(2),
        "audited_total": s.audited_total.round(2),
        "differing": s.differing,
        "criteria": s.leaves.iter().map(|l| json!({
            "criterion": l.id,
            "max": l.max,
            "self_assessed": l.self_assessed,
            "recomputed": l.recomputed,
            "status": l.status,
        })).collect::<Vec<_>>(),
    }))
}

/// The `rubrics` of `minhbach.json`, when the site has any.
pub fn rubrics_json(model: &Model) -> Option<serde_json::Value> {
    if model.input.rubrics.is_empty() {
        return None;
    }
    serde_json::to_value(&model.input.rubrics).ok()
}
