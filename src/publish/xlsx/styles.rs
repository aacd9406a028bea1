//! The cell styles of our workbooks and `xl/styles.xml`. A style gets its
//! index (`s="…"`) when first used, in the order cells are written, as in
//! rust_xlsxwriter; fonts, fills, borders and number formats are listed in
//! the order of the first style using each.

/// The styles our workbooks use, besides the default one (index 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The column titles: bold, wrapped, top, shaded, a line below.
    Header,
    /// The title of the read-me sheet: bold, 14 points.
    Title,
    /// A label of the read-me sheet: bold, top.
    Label,
    /// A text of the read-me sheet: wrapped, top.
    Wrap,
    /// Text that starts like a formula: kept as text even when edited.
    Quoted,
    /// Whole numbers: `#,##0`.
    Int,
    /// A change of rank: `+0;-0;0`.
    Signed,
    Year,
    /// The percentage itself (84.96), not a fraction: "84.96 %".
    Percent,
    Date,
}

const ALL: [Style; 10] = [
    Style::Header,
    Style::Title,
    Style::Label,
    Style::Wrap,
    Style::Quoted,
    Style::Int,
    Style::Signed,
    Style::Year,
    Style::Percent,
    Style::Date,
];

const fn font(bold: bool, size: u8) -> (bool, u8) {
    (bold, size)
}

/// The parts of a style, as styles.xml lists them.
struct Spec {
    /// Bold, size in points.
    font: (bool, u8),
    shaded: bool,
    line_below: bool,
    num_format: Option<&'static str>,
    /// The `<alignment>` element, if any.
    alignment: Option<&'static str>,
    quote_prefix: bool,
}

const DEFAULT: Spec = Spec {
    font: font(false, 11),
    shaded: false,
    line_below: false,
    num_format: None,
    alignment: None,
    quote_prefix: false,
};

const TOP: &str = "<alignment vertical=\"top\"/>";
const TOP_WRAP: &str = "<alignment vertical=\"top\" wrapText=\"1\"/>";

impl Style {
    fn spec(self) -> Spec {
        let number = |f| Spec {
            num_format: Some(f),
            ..DEFAULT
        };
        match self {
            Style::Header => Spec {
                font: font(true, 11),
                shaded: true,
                line_below: true,
                alignment: Some(TOP_WRAP),
                ..DEFAULT
            },
            Style::Title => Spec {
                font: font(true, 14),
                ..DEFAULT
            },
            Style::Label => Spec {
                font: font(true, 11),
                alignment: Some(TOP),
                ..DEFAULT
            },
            Style::Wrap => Spec {
                alignment: Some(TOP_WRAP),
                ..DEFAULT
            },
            Style::Quoted => Spec {
                quote_prefix: true,
                ..DEFAULT
            },
            Style::Int => number("#,##0"),
            Style::Signed => number("+0;-0;0"),
            Style::Year => number("0"),
            Style::Percent => number("0.00\\ \"%\""),
            Style::Date => number("dd/mm/yyyy"),
        }
    }

    fn slot(self) -> usize {
        ALL.iter().position(|&s| s == self).unwrap_or(0)
    }
}

/// The styles used so far, in the order of their first use.
#[derive(Debug, Default)]
pub struct Styles {
    used: Vec<Style>,
    index: [u32; ALL.len()],
}

impl Styles {
    /// The index of `style` in the workbook, given on first use.
    #[inline]
    pub fn index(&mut self, style: Style) -> u32 {
        let slot = style.slot();
        if self.index[slot] == 0 {
            self.used.push(style);
            self.index[slot] = self.used.len() as u32;
        }
        self.index[slot]
    }

    /// `<numFmts>` to `<cellXfs>` of styles.xml.
    pub fn write(&self, x: &mut String) {
        let specs: Vec<Spec> = std::iter::once(DEFAULT)
            .chain(self.used.iter().map(|s| s.spec()))
            .collect();
        // Each distinct part gets the next index in order of first use.
        fn position<T: PartialEq>(all: &[T], part: T) -> usize {
            all.iter().position(|p| *p == part).unwrap_or(0)
        }
        fn first_uses<T: PartialEq + Copy>(parts: impl Iterator<Item = T>) -> Vec<T> {
            let mut seen = Vec::new();
            for p in parts {
                if !seen.contains(&p) {
                    seen.push(p);
                }
            }
            seen
        }
        let fonts = first_uses(specs.iter().map(|s| s.font));
        let fills = first_uses(specs.iter().filter(|s| s.shaded).map(|_| ()));
        let borders = first_uses(specs.iter().map(|s| s.line_below));
        let formats = first_uses(specs.iter().filter_map(|s| s.num_format));

        if !formats.is_empty() {
            x.push_str(&format!("<numFmts count=\"{}\">", formats.len()));
            for (i, f) in formats.iter().enumerate() {
                x.push_str(&format!("<numFmt numFmtId=\"{}\" formatCode=\"", 164 + i));
                super::parts::push_attribute(x, f);
                x.push_str("\"/>");
            }
            x.push_str("</numFmts>");
        }
        x.push_str(&format!("<fonts count=\"{}\">", fonts.len()));
        for (bold, size) in &fonts {
            let b = if *bold { "<b/>" } else { "" };
            x.push_str(&format!("<font>{b}<sz val=\"{size}\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></font>"));
        }
        x.push_str(&format!(
            "</fonts><fills count=\"{}\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>",
            2 + fills.len()
        ));
        for _ in &fills {
            x.push_str("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFE7EEF5\"/><bgColor indexed=\"64\"/></patternFill></fill>");
        }
        x.push_str(&format!("</fills><borders count=\"{}\">", borders.len()));
        for line in &borders {
            let bottom = if *line {
                "<bottom style=\"thin\"><color auto=\"1\"/></bottom>"
            } else {
                "<bottom/>"
            };
            x.push_str(&format!(
                "<border><left/><right/><top/>{bottom}<diagonal/></border>"
            ));
        }
        x.push_str(&format!(
            "</borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"{}\">",
            specs.len()
        ));
        for (i, s) in specs.iter().enumerate() {
            let num = s.num_format.map_or(0, |f| 164 + position(&formats, f));
            let font = position(&fonts, s.font);
            let fill = if s.shaded { 2 } else { 0 };
            let border = position(&borders, s.line_below);
            x.push_str(&format!(
                "<xf numFmtId=\"{num}\" fontId=\"{font}\" fillId=\"{fill}\" borderId=\"{border}\" xfId=\"0\""
            ));
            if s.quote_prefix {
                x.push_str(" quotePrefix=\"1\"");
            }
            for (applies, what) in [
                (num > 0, "NumberFormat"),
                (font > 0, "Font"),
                (fill > 0, "Fill"),
                (border > 0, "Border"),
                (s.alignment.is_some() && i > 0, "Alignment"),
            ] {
                if applies {
                    x.push_str(&format!(" apply{what}=\"1\""));
                }
            }
            match s.alignment {
                Some(a) => {
                    x.push('>');
                    x.push_str(a);
                    x.push_str("</xf>");
                }
                None => x.push_str("/>"),
            }
        }
        x.push_str("</cellXfs>");
    }
}
