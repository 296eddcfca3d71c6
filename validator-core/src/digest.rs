//! `rule_set.digest`: SHA-256 over a canonical text of every piece of rule data — the enum
//! catalog, the form model, every pack (metadata, restrictions, requirements, definitions,
//! rules) and the loaded holiday calendar. Any change to what judges a filing changes it.

use crate::calendar::Calendar;
use crate::engine::COMMON_DEFS;
use crate::model::{all_fields, enums::ENUMS, FormKind};
use crate::packs::{COMMON, PACKS};
use sha2::{Digest, Sha256};
use std::fmt::Write;

pub fn canonical_rule_data(cal: &Calendar) -> String {
    let mut s = String::with_capacity(256 * 1024);
    for e in ENUMS {
        for (c, z) in e.values {
            let _ = writeln!(s, "enum {} {c} {z}", e.name);
        }
    }
    for f in FormKind::ALL {
        for fld in all_fields(*f) {
            let _ = writeln!(
                s,
                "field {} {} {} {:?} {:?}",
                f.key(),
                fld.path,
                fld.zh,
                fld.ty,
                fld.req
            );
        }
    }
    for (n, src) in COMMON_DEFS {
        let _ = writeln!(s, "def {n} := {src}");
    }
    for p in std::iter::once(COMMON).chain(PACKS.iter().copied()) {
        let _ = writeln!(s, "pack {} {} {} {}", p.id, p.document, p.source, p.status);
        for (f, d, a) in p.forms {
            let _ = writeln!(s, "offers {} {d:?} {a}", f.key());
        }
        for (k, v) in p.restrict {
            let _ = writeln!(s, "restrict {k} {}", v.join(","));
        }
        for (f, path, c) in p.require {
            let _ = writeln!(s, "require {} {path} {c}", f.key());
        }
        for (n, src) in p.defs {
            let _ = writeln!(s, "def {n} := {src}");
        }
        for r in p.rules {
            let ex: Vec<_> = r.exempt.iter().map(|b| b.code()).collect();
            let _ = writeln!(
                s,
                "rule {} {} [{}] {} | {} | {} | {}",
                r.id,
                r.severity.as_str(),
                ex.join(","),
                r.cite,
                r.when,
                r.zh,
                r.en
            );
        }
    }
    s.push_str(&cal.canonical());
    s
}

pub fn rule_set_digest(cal: &Calendar) -> String {
    let h = Sha256::digest(canonical_rule_data(cal).as_bytes());
    let mut out = String::from("sha256:");
    for b in h {
        let _ = write!(out, "{b:02x}");
    }
    out
}
