//! Header aliases to the import's fields: case-, space- and punctuation-insensitive, in English
//! and the languages of our users (German, French, Spanish, Korean, Japanese, Chinese).

use super::ImportError;

/// A column the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    RedirectUris,
    WebhookUrl,
    ExternalId,
}

impl Field {
    pub const ALL: [Field; 4] = [
        Field::Name,
        Field::RedirectUris,
        Field::WebhookUrl,
        Field::ExternalId,
    ];

    /// The template's header for this field.
    pub fn header(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::RedirectUris => "redirectUris",
            Field::WebhookUrl => "webhookUrl",
            Field::ExternalId => "externalId",
        }
    }

    /// How the field is named to people, in the language in use.
    pub fn label(self) -> String {
        match self {
            Field::Name => crate::tr!("import-field-name"),
            Field::RedirectUris => crate::tr!("import-field-redirect-uris"),
            Field::WebhookUrl => crate::tr!("import-field-webhook-url"),
            Field::ExternalId => crate::tr!("import-field-external-id"),
        }
    }

    /// Normalised header texts recognised as this field.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Name => &[
                "name",
                "appname",
                "application",
                "applicationname",
                "app",
                "displayname",
                "clientname",
                "customername",
                "company",
                "companyname",
                // de, fr, es
                "anwendung",
                "anwendungsname",
                "bezeichnung",
                "firma",
                "firmenname",
                "nom",
                "nomdelapplication",
                "nomdelapp",
                "nombre",
                "nombredelaaplicacion",
                // ko, ja, zh
                "이름",
                "앱이름",
                "애플리케이션이름",
                "어플리케이션이름",
                "앱명",
                "회사명",
                "名前",
                "アプリ名",
                "アプリケーション名",
                "名称",
                "应用名称",
                "应用名",
                "应用",
            ],
            Field::RedirectUris => &[
                "redirecturis",
                "redirecturi",
                "redirecturl",
                "redirecturls",
                "redirects",
                "redirect",
                "callbackurl",
                "callbackurls",
                "callbackuri",
                "callbackuris",
                "callback",
                "callbacks",
                "replyurl",
                "replyurls",
                "returnurl",
                "returnurls",
                "weiterleitungsurl",
                "weiterleitungsurls",
                "weiterleitungsuri",
                "rückrufurl",
                "urlderedirection",
                "urlsderedirection",
                "urlderedireccion",
                "리디렉션uri",
                "리디렉션url",
                "리다이렉트uri",
                "리다이렉트url",
                "콜백url",
                "リダイレクトuri",
                "リダイレクトurl",
                "コールバックurl",
                "重定向uri",
                "重定向url",
                "回调地址",
                "回调url",
            ],
            Field::WebhookUrl => &[
                "webhookurl",
                "webhook",
                "webhookuri",
                "webhookendpoint",
                "webhooks",
                "webhookadresse",
                "urldewebhook",
                "웹훅url",
                "웹훅",
                "webフックurl",
                "webhookアドレス",
                "webhook地址",
            ],
            Field::ExternalId => &[
                "externalid",
                "externalreference",
                "customerid",
                "customernumber",
                "customerno",
                "customerref",
                "clientreference",
                "reference",
                "referenceid",
                "ref",
                "yourid",
                "idempotencykey",
                "kundennummer",
                "kundenid",
                "referenz",
                "externeid",
                "referencia",
                "iddecliente",
                "numéroclient",
                "référence",
                "고객id",
                "고객번호",
                "참조",
                "참조번호",
                "외부id",
                "顧客id",
                "顧客番号",
                "参照",
                "参照番号",
                "外部id",
                "客户id",
                "客户编号",
                "外部编号",
            ],
        }
    }
}

/// Lower-cases a header and drops everything but letters and digits, so "App name",
/// "app_name" and "APP-NAME" are the same.
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field an alias names, if any.
pub fn field_for_header(header: &str) -> Option<Field> {
    let key = normalize_header(header);
    Field::ALL
        .into_iter()
        .find(|field| field.aliases().contains(&key.as_str()))
}

/// Headers named in the "no name column" message; the rest are counted.
const MAX_LISTED_HEADERS: usize = 8;
/// Characters of one header shown in that message.
const MAX_HEADER_CHARS: usize = 40;

/// A header as a message quotes it: on one line and cut to a readable length.
fn header_for_message(header: &str) -> String {
    let mut shown: String = header
        .chars()
        .take(MAX_HEADER_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if header.chars().nth(MAX_HEADER_CHARS).is_some() {
        shown.push('…');
    }
    shown
}

/// Which field each column holds (`None`: ignored).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    pub headers: Vec<String>,
    pub columns: Vec<Option<Field>>,
}

impl Mapping {
    /// Maps headers by alias; the first column wins when two name the same field. A file with
    /// no name column is refused, saying which headers were found.
    pub fn auto(headers: &[String]) -> Result<Mapping, ImportError> {
        let mut columns = Vec::with_capacity(headers.len());
        for header in headers {
            let field = field_for_header(header).filter(|f| !columns.contains(&Some(*f)));
            columns.push(field);
        }
        let mapping = Mapping {
            headers: headers.to_vec(),
            columns,
        };
        if mapping.column_of(Field::Name).is_none() {
            // A file that is one long line has one huge "header": list a few, shortened.
            let named: Vec<&String> = headers.iter().filter(|h| !h.is_empty()).collect();
            let mut found = named
                .iter()
                .take(MAX_LISTED_HEADERS)
                .map(|h| format!("\"{}\"", header_for_message(h)))
                .collect::<Vec<_>>();
            if named.len() > MAX_LISTED_HEADERS {
                let more = named.len() - MAX_LISTED_HEADERS;
                found.push(crate::tr!("import-headers-more", count = more));
            }
            let headers = if found.is_empty() {
                crate::tr!("import-headers-all-empty")
            } else {
                found.join(", ")
            };
            return Err(ImportError::worded(|| {
                crate::tr!("import-no-name-column", headers = headers.as_str())
            }));
        }
        Ok(mapping)
    }

    /// The column holding `field`.
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(field))
    }

    /// Assigns `field` to `column` (or ignores the column); a field held by another column
    /// moves here.
    pub fn set(&mut self, column: usize, field: Option<Field>) {
        if let Some(field) = field {
            for other in &mut self.columns {
                if *other == Some(field) {
                    *other = None;
                }
            }
        }
        if let Some(slot) = self.columns.get_mut(column) {
            *slot = field;
        }
    }

    /// Headers of the columns no field uses.
    pub fn unknown(&self) -> Vec<&str> {
        self.headers
            .iter()
            .zip(&self.columns)
            .filter(|(_, field)| field.is_none())
            .map(|(header, _)| header.as_str())
            .collect()
    }

    /// The header shown for a field's column (or the field's own name when unmapped).
    pub fn header_of(&self, field: Field) -> &str {
        self.column_of(field)
            .and_then(|c| self.headers.get(c))
            .map_or(field.header(), String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn aliases_in_several_languages() {
        for name in [
            "Name",
            "App name",
            "APP_NAME",
            "Application",
            "이름",
            "名前",
            "Anwendungsname",
        ] {
            assert_eq!(field_for_header(name), Some(Field::Name), "{name}");
        }
        for uri in [
            "redirect_uris",
            "Redirect URI(s)",
            "Callback URLs",
            "リダイレクトURI",
        ] {
            assert_eq!(field_for_header(uri), Some(Field::RedirectUris), "{uri}");
        }
        for id in [
            "Customer ID",
            "reference",
            "Idempotency-Key",
            "Kundennummer",
            "고객 ID",
        ] {
            assert_eq!(field_for_header(id), Some(Field::ExternalId), "{id}");
        }
        assert_eq!(field_for_header("Webhook URL"), Some(Field::WebhookUrl));
        assert_eq!(field_for_header("Notes"), None);
    }

    #[test]
    fn unknown_columns_are_listed_and_first_duplicate_wins() {
        let mapping = Mapping::auto(&headers(&["Name", "Notes", "App name"])).unwrap();
        assert_eq!(mapping.column_of(Field::Name), Some(0));
        assert_eq!(mapping.unknown(), ["Notes", "App name"]);
    }

    #[test]
    fn no_name_column_names_the_headers_found() {
        let err = Mapping::auto(&headers(&["Kunde", "URL"])).unwrap_err();
        assert!(err.0.contains("\"Kunde\", \"URL\""), "{err}");
    }

    #[test]
    fn a_huge_or_multi_line_header_is_not_quoted_whole() {
        let long = "A".repeat(5000);
        let err = Mapping::auto(&headers(&[&long, "a\nb"])).unwrap_err();
        assert!(err.0.len() < 400, "{err}");
        assert!(err.0.contains(&format!("\"{}…\"", "A".repeat(40))), "{err}");
        assert!(err.0.contains("\"a b\""), "{err}");
        let many: Vec<String> = (0..20).map(|i| format!("h{i}")).collect();
        let err = Mapping::auto(&many).unwrap_err();
        assert!(err.0.contains("\"h7\", 12 more"), "{err}");
    }

    #[test]
    fn set_moves_a_field() {
        let mut mapping = Mapping::auto(&headers(&["name", "title"])).unwrap();
        mapping.set(1, Some(Field::Name));
        assert_eq!(mapping.columns, [None, Some(Field::Name)]);
    }
}
