//! Bearer tokens and what each role may see.
//!
//! A token is 32 random bytes, base64url without padding (43 characters); only its SHA-256 is
//! stored. Roles:
//! - `unit` — bound to a jurisdiction and a credit code: creates, reads and updates only the
//!   filings of that jurisdiction whose `applicant.credit_code` is its own;
//! - `reviewer` — bound to a jurisdiction: reads every filing of it, writes nothing;
//! - `admin` — manages tokens and may read every filing.
//!
//! Outside its scope a filing does not exist for a token (404, never 403).

use crate::db::models::{Submission, Token};
use crate::db::store::Filter;
use crate::util;
use validator_core::formats;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    Reviewer,
    Unit,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "reviewer" => Some(Role::Reviewer),
            "unit" => Some(Role::Unit),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::Unit => "unit",
        }
    }
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct Principal {
    pub token_id: String,
    pub role: Role,
    pub jurisdiction: Option<String>,
    pub credit_code: Option<String>,
}

impl Principal {
    pub fn from_token(t: &Token) -> Option<Principal> {
        Some(Principal {
            token_id: t.id.clone(),
            role: Role::parse(&t.role)?,
            jurisdiction: t.jurisdiction.clone(),
            credit_code: t.credit_code.clone(),
        })
    }

    /// Whether the filing is visible to this caller.
    pub fn can_read(&self, s: &Submission) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Reviewer => self.jurisdiction.as_deref() == Some(s.jurisdiction.as_str()),
            Role::Unit => {
                self.jurisdiction.as_deref() == Some(s.jurisdiction.as_str())
                    && self.credit_code.as_deref() == Some(s.credit_code.as_str())
            }
        }
    }

    /// Adds the caller's scope to a list filter.
    pub fn scope(&self, f: &mut Filter) {
        match self.role {
            Role::Admin => {}
            Role::Reviewer => f.jurisdiction.extend(self.jurisdiction.clone()),
            Role::Unit => {
                f.jurisdiction.extend(self.jurisdiction.clone());
                f.credit_code.extend(self.credit_code.clone());
            }
        }
    }
}

/// A new secret token and its stored hash.
pub fn generate() -> (String, String) {
    let secret = util::b64url(&util::random_bytes::<32>());
    let hash = hash(&secret);
    (secret, hash)
}

pub fn hash(secret: &str) -> String {
    util::sha256_hex(secret.as_bytes())
}

/// Whether a presented token has the shape of one we issue (checked before hashing).
pub fn well_formed(secret: &str) -> bool {
    secret.len() == 43
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Extracts the token of an `Authorization: Bearer …` header value.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// Checks the bindings of a token to be created; the error names the offending input.
pub fn check_bindings(
    role: Role,
    jurisdiction: Option<&str>,
    credit_code: Option<&str>,
) -> Result<(), (&'static str, String)> {
    if let Some(j) = jurisdiction {
        if validator_core::packs::pack(j).is_none() {
            return Err(("jurisdiction", format!("unknown jurisdiction {j:?}")));
        }
    }
    if let Some(c) = credit_code {
        if !formats::credit_code_format_ok(c) {
            return Err((
                "credit_code",
                "not a unified social credit code (18 characters, GB 32100-2015)".into(),
            ));
        }
        if !formats::credit_code_check_ok(c) {
            return Err((
                "credit_code",
                "the check character of the credit code is wrong (GB 32100-2015)".into(),
            ));
        }
    }
    match role {
        Role::Admin => {
            if jurisdiction.is_some() {
                return Err((
                    "jurisdiction",
                    "an admin token is not bound to a jurisdiction".into(),
                ));
            }
            if credit_code.is_some() {
                return Err((
                    "credit_code",
                    "an admin token is not bound to a credit code".into(),
                ));
            }
        }
        Role::Reviewer => {
            if jurisdiction.is_none() {
                return Err((
                    "jurisdiction",
                    "a reviewer token needs a jurisdiction".into(),
                ));
            }
            if credit_code.is_some() {
                return Err((
                    "credit_code",
                    "a reviewer token is not bound to a credit code".into(),
                ));
            }
        }
        Role::Unit => {
            if jurisdiction.is_none() {
                return Err(("jurisdiction", "a unit token needs a jurisdiction".into()));
            }
            if credit_code.is_none() {
                return Err((
                    "credit_code",
                    "a unit token needs the unit's credit code".into(),
                ));
            }
        }
    }
    Ok(())
}

/// A new token row for the given bindings, with its secret.
pub fn new_token(
    role: Role,
    jurisdiction: Option<String>,
    credit_code: Option<String>,
    label: String,
) -> (Token, String) {
    let (secret, hash) = generate();
    let now = util::now_ms();
    let t = Token {
        id: util::new_id_at(now),
        hash,
        role: role.as_str().to_string(),
        jurisdiction,
        credit_code,
        label,
        created_at: now,
        revoked_at: None,
    };
    (t, secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_base64url_characters_stored_as_sha256() {
        let (secret, h) = generate();
        assert!(well_formed(&secret), "{secret}");
        assert_eq!(h, hash(&secret));
        assert_eq!(h.len(), 64);
        assert_ne!(generate().0, secret);
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
    }

    #[test]
    fn bindings_follow_the_role() {
        let cc = "114408040073500118";
        assert!(check_bindings(Role::Admin, None, None).is_ok());
        assert_eq!(
            check_bindings(Role::Admin, Some("potou"), None)
                .unwrap_err()
                .0,
            "jurisdiction"
        );
        assert_eq!(
            check_bindings(Role::Reviewer, None, None).unwrap_err().0,
            "jurisdiction"
        );
        assert!(check_bindings(Role::Reviewer, Some("potou"), None).is_ok());
        assert_eq!(
            check_bindings(Role::Unit, Some("potou"), None)
                .unwrap_err()
                .0,
            "credit_code"
        );
        assert_eq!(
            check_bindings(Role::Unit, Some("atlantis"), Some(cc))
                .unwrap_err()
                .0,
            "jurisdiction"
        );
        assert_eq!(
            check_bindings(Role::Unit, Some("potou"), Some("123"))
                .unwrap_err()
                .0,
            "credit_code"
        );
    }
}
