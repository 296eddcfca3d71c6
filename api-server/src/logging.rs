//! Structured logs via `tracing`, on stderr: `SHENBAO_LOG` (an env-filter directive, default
//! `info`) and `SHENBAO_LOG_FORMAT` (`text`, default, or `json` for JSON lines). Logs never
//! contain filing contents or tokens: handlers log route patterns, ids and counts only.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let directive = std::env::var("SHENBAO_LOG")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let (filter, bad) = match directive.as_deref().map(EnvFilter::try_new) {
        None => (EnvFilter::new("info"), None),
        Some(Ok(f)) => (f, None),
        Some(Err(e)) => (EnvFilter::new("info"), Some(e.to_string())),
    };
    let json =
        std::env::var("SHENBAO_LOG_FORMAT").is_ok_and(|v| v.trim().eq_ignore_ascii_case("json"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(true);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    if let Some(e) = bad {
        tracing::warn!(error = %e, "SHENBAO_LOG is not a valid filter; using info");
    }
}
