//! The sandbox's provider catalog: every identity provider a workspace may activate, how each
//! is activated (at once, after a registration review, or by contract) and what it asks for.

use serde_json::{Value, json};

use ActivationKind::{Contract, Direct, Registration};

/// How a provider is activated (guides/concepts/activations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ActivationKind {
    /// Immediate: nothing to submit.
    Direct,
    /// Business details, then a review.
    Registration,
    /// An agreement made outside the API, through support.
    Contract,
}

/// One provider of the catalog.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CatalogProvider {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub countries: &'static [&'static str],
    pub flow_types: &'static [&'static str],
    pub loa: &'static [u8],
    /// 1 centralized IdP, 2 chip-based, 3 wallet.
    pub kind: u8,
    /// `disclosure` or `match`.
    pub model: &'static str,
    pub activation: ActivationKind,
}

macro_rules! provider {
    ($id:literal, $name:literal, $description:literal, [$($c:literal),*], [$($f:literal),*],
     [$($l:literal),*], $kind:literal, $model:literal, $activation:ident) => {
        CatalogProvider {
            id: $id, name: $name, description: $description, countries: &[$($c),*],
            flow_types: &[$($f),*], loa: &[$($l),*], kind: $kind, model: $model,
            activation: $activation,
        }
    };
}

/// The catalog, in the order it is served. Ids are those the API docs use.
#[rustfmt::skip]
pub(crate) const PROVIDERS: &[CatalogProvider] = &[
    provider!("passport", "ePassport", "Reads the chip of a biometric passport with the phone's NFC reader",
              ["US", "GB", "DE", "FR", "KR", "JP"], ["qr", "redirect"], [2, 3], 2, "disclosure", Direct),
    provider!("smartid", "Smart-ID", "Mobile identity app of the Baltic banks",
              ["EE", "LV", "LT"], ["push"], [2, 3], 1, "disclosure", Registration),
    provider!("mitid", "MitID", "The Danish national digital identity",
              ["DK"], ["redirect"], [2, 3], 1, "disclosure", Registration),
    provider!("id-austria", "ID Austria", "The Austrian national electronic identity",
              ["AT"], ["redirect"], [3], 1, "disclosure", Registration),
    provider!("ftn", "Finnish Trust Network", "Finnish bank identifiers and mobile certificates",
              ["FI"], ["redirect"], [2, 3], 1, "disclosure", Contract),
    provider!("buypass", "Buypass", "Norwegian identity provider",
              ["NO"], ["redirect"], [3], 1, "disclosure", Registration),
    provider!("bankidse", "BankID (Sweden)", "The Swedish banks' electronic identity",
              ["SE"], ["qr", "redirect"], [2, 3], 1, "disclosure", Contract),
    provider!("no-bankid", "BankID (Norway)", "The Norwegian banks' electronic identity",
              ["NO"], ["redirect"], [3], 1, "disclosure", Contract),
    provider!("singpass", "Singpass", "Singapore's national digital identity",
              ["SG"], ["qr", "redirect"], [2], 1, "disclosure", Registration),
    provider!("frejaid", "Freja eID", "Swedish mobile electronic identity",
              ["SE"], ["qr"], [2, 3], 1, "disclosure", Direct),
    provider!("evrotrust", "Evrotrust", "Bulgarian qualified electronic identity",
              ["BG"], ["push"], [2], 1, "match", Direct),
    provider!("audkenni", "Auðkenni", "Icelandic electronic identity",
              ["IS"], ["push"], [3], 1, "disclosure", Registration),
    provider!("skmobileid", "Mobile-ID", "SIM-based identity of Estonia and Lithuania",
              ["EE", "LT"], ["push"], [3], 1, "disclosure", Direct),
    provider!("spid-ig", "SPID", "The Italian public digital identity system",
              ["IT"], ["redirect"], [2], 1, "disclosure", Registration),
    provider!("idin", "iDIN", "Dutch banks' identity service",
              ["NL"], ["redirect"], [2], 1, "match", Contract),
    provider!("ipin", "i-PIN", "Korean internet personal identification number",
              ["KR"], ["redirect"], [2], 1, "disclosure", Registration),
    provider!("pass", "PASS", "Korean carriers' mobile identity wallet",
              ["KR"], ["push"], [2], 3, "disclosure", Registration),
];

/// What a provider asks for before it can be activated: `(id, type, label, description,
/// example)`. Every entry is required.
pub(crate) fn requirements(
    kind: ActivationKind,
) -> &'static [(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
)] {
    match kind {
        Direct => &[],
        Registration => &[
            (
                "companyName",
                "text",
                "Company legal name",
                "As in the commercial register",
                "Acme Bank AB",
            ),
            (
                "registrationNumber",
                "text",
                "Company registration number",
                "The number in the commercial register",
                "556012-5790",
            ),
            (
                "serviceUrl",
                "url",
                "Service address",
                "Where people meet the verification",
                "https://acme.example.com",
            ),
            (
                "contactEmail",
                "email",
                "Technical contact",
                "Who the provider may write to",
                "it@acme.example.com",
            ),
        ],
        Contract => &[(
            "contract",
            "contract",
            "Signed agreement",
            "An agreement with the provider, arranged through support@hopae.com",
            "",
        )],
    }
}

impl CatalogProvider {
    /// The provider as the catalog serves it, without activation.
    pub(crate) fn to_json(self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "logoUrl": format!("https://assets.hopae.example/providers/{}.svg", self.id),
            "countries": self.countries,
            "flowTypes": self.flow_types,
            "scopes": ["openid", "profile"],
            "loa": self.loa,
            "defaultLoa": self.loa.first().copied().unwrap_or(2),
            "type": self.kind,
            "verificationModel": self.model,
        })
    }
}
