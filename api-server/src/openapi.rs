//! The OpenAPI 3.1 description of the service, written by hand with `serde_json` (served at
//! `/api/v1/openapi.json`, rendered by `/api/v1/docs`). Every path, parameter, request body and
//! response — including the error envelope and the report — is described; schemathesis checks
//! the running service against it (`scripts/schemathesis.sh`).

use serde_json::{json, Value};
use std::sync::OnceLock;

const CREDIT_CODE_PATTERN: &str = "^[0-9A-HJ-NPQRTUWXY]{18}$";
const ID_PATTERN: &str = "^[0-9a-f]{32}$";

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn resp(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

fn param(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": json_content(schema) })
}

fn jurisdictions() -> Vec<&'static str> {
    validator_core::info::forms()
        .iter()
        .map(|p| p.jurisdiction)
        .collect()
}

fn forms() -> Vec<&'static str> {
    validator_core::model::FormKind::ALL
        .iter()
        .map(|f| f.key())
        .collect()
}

/// Adds the standard error responses to a response map.
fn with_errors(mut responses: Value, codes: &[&str]) -> Value {
    if let Some(m) = responses.as_object_mut() {
        for c in codes {
            let name = match *c {
                "400" => "BadRequest",
                "401" => "Unauthorized",
                "403" => "Forbidden",
                "404" => "NotFound",
                "409" => "Conflict",
                "413" => "PayloadTooLarge",
                "415" => "UnsupportedMediaType",
                "422" => "Unprocessable",
                "503" => "Unavailable",
                _ => continue,
            };
            m.insert((*c).to_string(), resp(name));
        }
    }
    responses
}

fn body(schema: Value, description: &str) -> Value {
    json!({ "required": true, "description": description, "content": json_content(schema) })
}

fn schemas() -> Value {
    let nullable_string = json!({ "type": ["string", "null"] });
    let instant = json!({ "type": "string", "description": "RFC 3339 instant in Beijing time, e.g. 2026-05-01T09:30:00.000+08:00" });
    let mut m = serde_json::Map::new();
    m.insert("Error".into(), json!({
        "type": "object",
        "description": "The one error envelope of the API. `report` is present when a final filing is refused (422 invalid_filing).",
        "required": ["error"],
        "additionalProperties": false,
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "code", "message"],
                "additionalProperties": false,
                "properties": {
                    "status": { "type": "integer", "description": "The HTTP status, repeated." },
                    "code": {
                        "type": "string",
                        "description": "Machine-readable: bad_request, unauthorized, forbidden, not_found, method_not_allowed, not_draft, token_already_created, payload_too_large, unsupported_media_type, invalid_filing, idempotency_key_reused, service_unavailable, internal."
                    },
                    "message": { "type": "string", "description": "Human-readable explanation." },
                    "field": { "type": "string", "description": "The parameter, header or body field concerned (body fields as a dotted path)." }
                }
            },
            "report": r("Report")
        }
    }));
    m.insert("RuleSet".into(), json!({
        "type": "object",
        "required": ["digest", "version"],
        "additionalProperties": false,
        "properties": {
            "digest": { "type": "string", "description": "sha256:… of the rule data and calendar that judged." },
            "version": { "type": "string" }
        }
    }));
    m.insert(
        "Message".into(),
        json!({
            "type": "object",
            "required": ["en", "zh"],
            "additionalProperties": false,
            "properties": { "en": { "type": "string" }, "zh": { "type": "string" } }
        }),
    );
    m.insert(
        "Citation".into(),
        json!({
            "type": ["object", "null"],
            "required": ["article", "document", "source"],
            "additionalProperties": false,
            "properties": {
                "article": { "type": "string" },
                "document": { "type": "string" },
                "source": nullable_string
            }
        }),
    );
    m.insert("Finding".into(), json!({
        "type": "object",
        "required": ["citation", "exempted", "message", "paths", "rule", "severity"],
        "additionalProperties": false,
        "properties": {
            "citation": r("Citation"),
            "exempted": { "type": "boolean" },
            "message": r("Message"),
            "paths": { "type": "array", "items": { "type": "string", "description": "JSON Pointer into data" } },
            "rule": { "type": "string", "description": "Rule ID (public contract)" },
            "severity": { "type": "string", "enum": ["error", "warning", "info"] }
        }
    }));
    m.insert("Report".into(), json!({
        "type": "object",
        "description": "The validation report of spec/report.md; serialized with sorted keys, byte-identical on every surface.",
        "required": ["findings", "form", "jurisdiction", "rule_set", "valid"],
        "additionalProperties": false,
        "properties": {
            "findings": { "type": "array", "items": r("Finding") },
            "form": { "type": "string" },
            "jurisdiction": { "type": "string" },
            "rule_set": r("RuleSet"),
            "valid": { "type": "boolean", "description": "No finding has severity error." }
        }
    }));
    m.insert(
        "FormInfo".into(),
        json!({
            "type": "object",
            "required": ["form", "label_zh", "label_en", "duty", "basis"],
            "additionalProperties": false,
            "properties": {
                "form": { "type": "string" },
                "label_zh": { "type": "string" },
                "label_en": { "type": "string" },
                "duty": { "type": "string", "enum": ["M", "O"] },
                "basis": { "type": "string" }
            }
        }),
    );
    m.insert(
        "PackInfo".into(),
        json!({
            "type": "object",
            "required": ["jurisdiction", "region", "document", "source", "status", "forms"],
            "additionalProperties": false,
            "properties": {
                "jurisdiction": { "type": "string" },
                "region": { "type": "string" },
                "document": { "type": "string" },
                "source": { "type": "string" },
                "status": { "type": "string" },
                "forms": { "type": "array", "items": r("FormInfo") }
            }
        }),
    );
    m.insert(
        "Catalog".into(),
        json!({
            "type": "object",
            "required": ["jurisdictions", "rule_set"],
            "additionalProperties": false,
            "properties": {
                "jurisdictions": { "type": "array", "items": r("PackInfo") },
                "rule_set": r("RuleSet")
            }
        }),
    );
    m.insert("FormData".into(), json!({
        "type": "object",
        "description": "The form data (any JSON object; its shape is judged by the rules, see GET /api/v1/forms/{jurisdiction}/{form}/schema)."
    }));
    m.insert(
        "ValidateRequest".into(),
        json!({
            "type": "object",
            "required": ["jurisdiction", "form", "data"],
            "additionalProperties": false,
            "properties": {
                "jurisdiction": { "type": "string", "enum": jurisdictions() },
                "form": { "type": "string", "enum": forms() },
                "data": r("FormData")
            }
        }),
    );
    m.insert("CreateSubmission".into(), json!({
        "type": "object",
        "required": ["jurisdiction", "form", "data", "status"],
        "additionalProperties": false,
        "properties": {
            "jurisdiction": { "type": "string", "enum": jurisdictions() },
            "form": { "type": "string", "enum": forms() },
            "data": r("FormData"),
            "status": { "type": "string", "enum": ["draft", "final"], "description": "final: data.submission_date is set to today (Beijing) and the filing must be valid." }
        }
    }));
    m.insert(
        "UpdateSubmission".into(),
        json!({
            "type": "object",
            "required": ["data"],
            "additionalProperties": false,
            "properties": { "data": r("FormData") }
        }),
    );
    m.insert(
        "FinalizeRequest".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "description": "An empty object (or send no body at all).",
            "properties": {}
        }),
    );
    m.insert("SubmissionWritten".into(), json!({
        "type": "object",
        "required": ["id", "jurisdiction", "form", "status", "credit_code", "valid", "report", "rule_set", "created_at", "updated_at"],
        "additionalProperties": false,
        "properties": {
            "id": { "type": "string", "pattern": ID_PATTERN },
            "jurisdiction": { "type": "string" },
            "form": { "type": "string" },
            "status": { "type": "string", "enum": ["draft", "final"] },
            "credit_code": { "type": "string" },
            "valid": { "type": "boolean" },
            "report": r("Report"),
            "rule_set": r("RuleSet"),
            "created_at": instant,
            "updated_at": instant
        }
    }));
    m.insert("SubmissionSummary".into(), json!({
        "type": "object",
        "required": ["id", "jurisdiction", "form", "status", "credit_code", "unit_name", "project_name", "valid", "errors", "warnings", "rule_set", "created_at", "updated_at"],
        "additionalProperties": false,
        "properties": {
            "id": { "type": "string", "pattern": ID_PATTERN },
            "jurisdiction": { "type": "string" },
            "form": { "type": "string" },
            "status": { "type": "string", "enum": ["draft", "final"] },
            "credit_code": { "type": "string" },
            "unit_name": nullable_string,
            "project_name": nullable_string,
            "valid": { "type": "boolean" },
            "errors": { "type": "integer", "minimum": 0 },
            "warnings": { "type": "integer", "minimum": 0 },
            "rule_set": r("RuleSet"),
            "created_at": instant,
            "updated_at": instant
        }
    }));
    m.insert("SubmissionPage".into(), json!({
        "type": "object",
        "required": ["items", "next_cursor"],
        "additionalProperties": false,
        "properties": {
            "items": { "type": "array", "items": r("SubmissionSummary") },
            "next_cursor": { "type": ["string", "null"], "description": "Pass as cursor for the next page; null on the last page." }
        }
    }));
    m.insert("Event".into(), json!({
        "type": "object",
        "required": ["id", "action", "actor", "at", "detail"],
        "additionalProperties": false,
        "properties": {
            "id": { "type": "string" },
            "action": { "type": "string", "enum": ["created", "updated", "finalized"] },
            "actor": { "type": "string", "description": "Token id." },
            "at": instant,
            "detail": { "type": "object", "description": "status, valid, errors, warnings and rule_set after the action." }
        }
    }));
    m.insert("SubmissionDetail".into(), json!({
        "type": "object",
        "required": ["id", "jurisdiction", "form", "status", "credit_code", "unit_name", "project_name", "valid", "errors", "warnings", "data", "report", "rule_set", "created_at", "updated_at", "history"],
        "additionalProperties": false,
        "properties": {
            "id": { "type": "string", "pattern": ID_PATTERN },
            "jurisdiction": { "type": "string" },
            "form": { "type": "string" },
            "status": { "type": "string", "enum": ["draft", "final"] },
            "credit_code": { "type": "string" },
            "unit_name": nullable_string,
            "project_name": nullable_string,
            "valid": { "type": "boolean" },
            "errors": { "type": "integer", "minimum": 0 },
            "warnings": { "type": "integer", "minimum": 0 },
            "data": r("FormData"),
            "report": r("Report"),
            "rule_set": r("RuleSet"),
            "created_at": instant,
            "updated_at": instant,
            "history": { "type": "array", "items": r("Event") }
        }
    }));
    m.insert("TokenCreate".into(), json!({
        "type": "object",
        "required": ["role"],
        "additionalProperties": false,
        "properties": {
            "role": { "type": "string", "enum": ["admin", "reviewer", "unit"] },
            "jurisdiction": { "type": "string", "enum": jurisdictions(), "description": "Required for reviewer and unit; not allowed for admin." },
            "credit_code": { "type": "string", "pattern": CREDIT_CODE_PATTERN, "description": "Required for unit only; GB 32100-2015 check character verified." },
            "label": { "type": "string", "maxLength": 200 }
        }
    }));
    m.insert("Token".into(), json!({
        "type": "object",
        "required": ["id", "role", "jurisdiction", "credit_code", "label", "created_at", "revoked_at"],
        "additionalProperties": false,
        "properties": {
            "id": { "type": "string", "pattern": ID_PATTERN },
            "role": { "type": "string", "enum": ["admin", "reviewer", "unit"] },
            "jurisdiction": nullable_string,
            "credit_code": nullable_string,
            "label": { "type": "string" },
            "created_at": instant,
            "revoked_at": { "type": ["string", "null"] },
            "token": { "type": "string", "description": "The bearer secret: only in the 201 answer that created it." }
        }
    }));
    m.insert(
        "TokenList".into(),
        json!({
            "type": "object",
            "required": ["items"],
            "additionalProperties": false,
            "properties": { "items": { "type": "array", "items": r("Token") } }
        }),
    );
    m.insert("Health".into(), json!({
        "type": "object",
        "required": ["status"],
        "properties": { "status": { "type": "string" }, "database": { "type": "string", "enum": ["sqlite", "postgres"] } }
    }));
    Value::Object(m)
}

fn parameters() -> Value {
    json!({
        "Id": {
            "name": "id", "in": "path", "required": true,
            "description": "Submission id (32 hex digits). Unknown, malformed or outside your scope: 404.",
            "schema": { "type": "string" }
        },
        "TokenId": {
            "name": "id", "in": "path", "required": true,
            "schema": { "type": "string" }
        },
        "IdempotencyKey": {
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "1–200 printable ASCII characters. A retry with the same key and the same request replays the first answer (header Idempotency-Replayed: true); the same key with a different request: 422 idempotency_key_reused.",
            "schema": { "type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]([ -~]*[!-~])?$" }
        },
        "jurisdiction": { "name": "jurisdiction", "in": "query", "required": false, "schema": { "type": "string", "enum": jurisdictions() } },
        "form": { "name": "form", "in": "query", "required": false, "schema": { "type": "string", "enum": forms() } },
        "status": { "name": "status", "in": "query", "required": false, "schema": { "type": "string", "enum": ["draft", "final"] } },
        "credit_code": { "name": "credit_code", "in": "query", "required": false, "schema": { "type": "string", "pattern": CREDIT_CODE_PATTERN } },
        "rule": {
            "name": "rule", "in": "query", "required": false,
            "description": "Filings with at least one finding of this rule ID.",
            "schema": { "type": "string", "pattern": "^[a-z0-9.-]{1,100}$" }
        },
        "from": {
            "name": "from", "in": "query", "required": false,
            "description": "Created on or after this Beijing date.",
            "schema": { "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }
        },
        "to": {
            "name": "to", "in": "query", "required": false,
            "description": "Created on or before this Beijing date (not before from).",
            "schema": { "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }
        },
        "cursor": {
            "name": "cursor", "in": "query", "required": false,
            "description": "Opaque: the next_cursor of the previous page.",
            "schema": { "type": "string" }
        },
        "limit": { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 200, "default": 50 } }
    })
}

fn responses() -> Value {
    let e = |d: &str| json!({ "description": d, "content": json_content(r("Error")) });
    let mut unauthorized = e("Missing, malformed, unknown or revoked bearer token.");
    unauthorized["headers"] = json!({ "WWW-Authenticate": { "schema": { "type": "string" } } });
    let mut unavailable = e(
        "The database is unreachable or the write queue is full: retry after Retry-After seconds.",
    );
    unavailable["headers"] = json!({ "Retry-After": { "schema": { "type": "string" } } });
    json!({
        "BadRequest": e("Malformed input: JSON syntax (with line and column), wrong types, unknown fields or query parameters, nesting too deep, bad parameter values; `field` names the input."),
        "Unauthorized": unauthorized,
        "Forbidden": e("The token's role may not do this (or a unit filing for another unit or jurisdiction)."),
        "NotFound": e("No such resource — or outside the token's scope (existence is never confirmed)."),
        "Conflict": e("not_draft: the filing is final and immutable; token_already_created: replay of a token creation (the secret is shown only once)."),
        "PayloadTooLarge": e("The body exceeds SHENBAO_BODY_LIMIT (default 1 MiB)."),
        "UnsupportedMediaType": e("The body is not declared as application/json."),
        "Unprocessable": e("invalid_filing: a final filing with errors (the report is included, nothing was stored); idempotency_key_reused."),
        "Unavailable": unavailable
    })
}

fn filter_params() -> Vec<Value> {
    [
        "jurisdiction",
        "form",
        "status",
        "credit_code",
        "rule",
        "from",
        "to",
    ]
    .iter()
    .map(|p| param(p))
    .collect()
}

fn paths() -> Value {
    let secured = json!([{ "bearerAuth": [] }]);
    let public = json!([]);
    let mut list_params = filter_params();
    list_params.push(param("cursor"));
    list_params.push(param("limit"));
    json!({
        "/api/v1/forms": { "get": {
            "tags": ["catalog"], "operationId": "listForms", "summary": "Jurisdictions and the forms each offers",
            "security": public,
            "responses": with_errors(json!({ "200": ok("The catalog", r("Catalog")) }), &["400"])
        }},
        "/api/v1/forms/{jurisdiction}/{form}/schema": { "get": {
            "tags": ["catalog"], "operationId": "formSchema", "summary": "The JSON Schema (2020-12) of a form's data in a jurisdiction",
            "security": public,
            "parameters": [
                { "name": "jurisdiction", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "form", "in": "path", "required": true, "schema": { "type": "string" } }
            ],
            "responses": with_errors(json!({ "200": ok("The schema", json!({ "type": "object" })) }), &["400", "404"])
        }},
        "/api/v1/validate": { "post": {
            "tags": ["catalog"], "operationId": "validate", "summary": "Validate form data and return the report (stores nothing)",
            "security": public,
            "parameters": [param("IdempotencyKey")],
            "requestBody": body(r("ValidateRequest"), "What to validate"),
            "responses": with_errors(json!({ "200": ok("The report, whatever the verdict", r("Report")) }), &["400", "413", "415", "503"])
        }},
        "/api/v1/submissions": {
            "post": {
                "tags": ["submissions"], "operationId": "createSubmission",
                "summary": "File a form (unit tokens): a draft is stored whatever its findings; a final filing must be valid",
                "security": secured,
                "parameters": [param("IdempotencyKey")],
                "requestBody": body(r("CreateSubmission"), "The filing"),
                "responses": with_errors(json!({ "201": {
                    "description": "Stored",
                    "headers": { "Location": { "schema": { "type": "string" } } },
                    "content": json_content(r("SubmissionWritten")),
                    "links": {
                        "GetSubmission": { "operationId": "getSubmission", "parameters": { "id": "$response.body#/id" } },
                        "UpdateSubmission": { "operationId": "updateSubmission", "parameters": { "id": "$response.body#/id" } },
                        "FinalizeSubmission": { "operationId": "finalizeSubmission", "parameters": { "id": "$response.body#/id" } }
                    }
                }}), &["400", "401", "403", "413", "415", "422", "503"])
            },
            "get": {
                "tags": ["submissions"], "operationId": "listSubmissions",
                "summary": "Filings in your scope, newest first, with cursor paging",
                "security": secured,
                "parameters": list_params,
                "responses": with_errors(json!({ "200": ok("A page", r("SubmissionPage")) }), &["400", "401", "503"])
            }
        },
        "/api/v1/submissions/export": { "get": {
            "tags": ["submissions"], "operationId": "exportSubmissions",
            "summary": "The same filters as the list, streamed as CSV (UTF-8 with BOM)",
            "security": secured,
            "parameters": filter_params(),
            "responses": with_errors(json!({ "200": {
                "description": "CSV: id, jurisdiction, form, status, credit_code, unit_name, project_name, valid, errors, warnings, rule_set_version, created_at, updated_at",
                "content": { "text/csv": { "schema": { "type": "string" } } }
            }}), &["400", "401", "503"])
        }},
        "/api/v1/submissions/{id}": {
            "get": {
                "tags": ["submissions"], "operationId": "getSubmission",
                "summary": "A filing with its data, report, rule set and history",
                "security": secured,
                "parameters": [param("Id")],
                "responses": with_errors(json!({ "200": ok("The filing", r("SubmissionDetail")) }), &["400", "401", "404", "503"])
            },
            "put": {
                "tags": ["submissions"], "operationId": "updateSubmission",
                "summary": "Replace the data of a draft (unit tokens); final filings are immutable (409)",
                "security": secured,
                "parameters": [param("Id")],
                "requestBody": body(r("UpdateSubmission"), "The new data"),
                "responses": with_errors(json!({ "200": ok("Updated", r("SubmissionWritten")) }), &["400", "401", "403", "404", "409", "413", "415", "503"])
            }
        },
        "/api/v1/submissions/{id}/finalize": { "post": {
            "tags": ["submissions"], "operationId": "finalizeSubmission",
            "summary": "Turn a draft final: submission_date is set to today (Beijing) and the filing must be valid",
            "security": secured,
            "parameters": [param("Id"), param("IdempotencyKey")],
            "requestBody": { "required": false, "content": json_content(r("FinalizeRequest")) },
            "responses": with_errors(json!({ "200": ok("Finalized", r("SubmissionWritten")) }), &["400", "401", "403", "404", "409", "413", "415", "422", "503"])
        }},
        "/api/v1/tokens": {
            "post": {
                "tags": ["tokens"], "operationId": "createToken", "summary": "Create a token (admin); the secret is in this answer only",
                "security": secured,
                "parameters": [param("IdempotencyKey")],
                "requestBody": body(r("TokenCreate"), "Role and bindings"),
                "responses": with_errors(json!({ "201": {
                    "description": "Created",
                    "headers": { "Location": { "schema": { "type": "string" } } },
                    "content": json_content(r("Token")),
                    "links": {
                        "RevokeToken": { "operationId": "revokeToken", "parameters": { "id": "$response.body#/id" } }
                    }
                }}), &["400", "401", "403", "409", "413", "415", "422", "503"])
            },
            "get": {
                "tags": ["tokens"], "operationId": "listTokens", "summary": "Every token (admin), without secrets",
                "security": secured,
                "responses": with_errors(json!({ "200": ok("The tokens", r("TokenList")) }), &["400", "401", "403", "503"])
            }
        },
        "/api/v1/tokens/{id}": { "delete": {
            "tags": ["tokens"], "operationId": "revokeToken", "summary": "Revoke a token (admin; idempotent)",
            "security": secured,
            "parameters": [param("TokenId")],
            "responses": with_errors(json!({ "200": ok("The revoked token", r("Token")) }), &["400", "401", "403", "404", "503"])
        }},
        "/api/v1/openapi.json": { "get": {
            "tags": ["meta"], "operationId": "openapi", "summary": "This document", "security": public,
            "responses": with_errors(json!({ "200": ok("OpenAPI 3.1", json!({ "type": "object" })) }), &["400"])
        }},
        "/api/v1/docs": { "get": {
            "tags": ["meta"], "operationId": "docs", "summary": "Browsable documentation of this API", "security": public,
            "responses": with_errors(json!({ "200": { "description": "HTML page", "content": { "text/html": { "schema": { "type": "string" } } } } }), &["400"])
        }},
        "/api/v1/docs/{asset}": { "get": {
            "tags": ["meta"], "operationId": "docsAsset", "summary": "Script and style sheet of the documentation page", "security": public,
            "parameters": [{ "name": "asset", "in": "path", "required": true, "schema": { "type": "string", "enum": ["docs.js", "docs.css"] } }],
            "responses": with_errors(json!({ "200": { "description": "The asset", "content": {
                "text/javascript": { "schema": { "type": "string" } },
                "text/css": { "schema": { "type": "string" } }
            } } }), &["404"])
        }},
        "/healthz": { "get": {
            "tags": ["operations"], "operationId": "healthz", "summary": "Liveness", "security": public,
            "responses": { "200": ok("Alive", r("Health")) }
        }},
        "/readyz": { "get": {
            "tags": ["operations"], "operationId": "readyz", "summary": "Readiness: the database answers", "security": public,
            "responses": with_errors(json!({ "200": ok("Ready", r("Health")) }), &["503"])
        }},
        "/metrics": { "get": {
            "tags": ["operations"], "operationId": "metrics", "summary": "Prometheus metrics", "security": public,
            "responses": { "200": { "description": "Prometheus text format", "content": { "text/plain": { "schema": { "type": "string" } } } } }
        }}
    })
}

/// The document.
pub fn document() -> Value {
    let rs = validator_core::rule_set();
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "shenbao intake service",
            "version": "1",
            "summary": "Re-validates filings (申报表) of government IT projects, stores them durably, lets reviewers list, filter and export them.",
            "description": format!(
                "Conventions (API-DESIGN.md): URLs under /api/v1; JSON bodies (Content-Type: application/json); one error envelope; cursor paging; Idempotency-Key on POST; bearer tokens (roles admin, reviewer, unit). Rule set {} ({}).",
                rs.version, rs.digest
            ),
            "license": { "name": "Apache-2.0", "identifier": "Apache-2.0" }
        },
        "servers": [{ "url": "/" }],
        "tags": [
            { "name": "catalog", "description": "Forms, schemas, validation (public)" },
            { "name": "submissions", "description": "Filings (bearer token)" },
            { "name": "tokens", "description": "Token management (admin)" },
            { "name": "meta", "description": "This description" },
            { "name": "operations", "description": "Health and metrics" }
        ],
        "paths": paths(),
        "components": {
            "schemas": schemas(),
            "parameters": parameters(),
            "responses": responses(),
            "securitySchemes": {
                "bearerAuth": { "type": "http", "scheme": "bearer", "description": "43-character base64url token from `api-server token create` or POST /api/v1/tokens." }
            }
        }
    })
}

/// The document as JSON text (built once).
pub fn document_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| document().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "$ref" {
                        out.push(x.as_str().unwrap_or_default().to_string());
                    }
                    refs(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_resolves_and_every_route_is_described() {
        let d = document();
        let mut all = Vec::new();
        refs(&d, &mut all);
        assert!(!all.is_empty());
        for r in all {
            let ptr = r.trim_start_matches('#');
            assert!(d.pointer(ptr).is_some(), "dangling {r}");
        }
        for p in [
            "/api/v1/forms",
            "/api/v1/forms/{jurisdiction}/{form}/schema",
            "/api/v1/validate",
            "/api/v1/submissions",
            "/api/v1/submissions/export",
            "/api/v1/submissions/{id}",
            "/api/v1/submissions/{id}/finalize",
            "/api/v1/tokens",
            "/api/v1/tokens/{id}",
            "/api/v1/openapi.json",
            "/api/v1/docs",
            "/healthz",
            "/readyz",
            "/metrics",
        ] {
            assert!(d["paths"].get(p).is_some(), "{p}");
        }
    }

    #[test]
    fn the_report_schema_accepts_a_real_report() {
        let d = document();
        let report =
            validator_core::validate("potou", "apply", &json!({"submission_date": "2025-09-15"}))
                .unwrap();
        let v = serde_json::to_value(&report).unwrap();
        // Inline the component schemas so that the standalone validator can resolve them.
        let mut root = d["components"]["schemas"]["Report"].clone();
        root["$defs"] = d["components"]["schemas"].clone();
        let text = root
            .to_string()
            .replace("#/components/schemas/", "#/$defs/");
        let schema: Value = serde_json::from_str(&text).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}
