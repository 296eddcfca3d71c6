//! diesel table definitions (the same on both backends; see `migrations/`).

diesel::table! {
    tokens (id) {
        id -> Text,
        hash -> Text,
        role -> Text,
        jurisdiction -> Nullable<Text>,
        credit_code -> Nullable<Text>,
        label -> Text,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    submissions (id) {
        id -> Text,
        jurisdiction -> Text,
        form -> Text,
        status -> Text,
        credit_code -> Text,
        unit_name -> Nullable<Text>,
        project_name -> Nullable<Text>,
        data -> Text,
        report -> Text,
        rule_set_version -> Text,
        rule_set_digest -> Text,
        rule_ids -> Text,
        valid -> Integer,
        errors -> Integer,
        warnings -> Integer,
        owner -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        submission_id -> Text,
        action -> Text,
        actor -> Text,
        at -> BigInt,
        detail -> Text,
    }
}

diesel::table! {
    idempotency (actor, idem_key) {
        actor -> Text,
        idem_key -> Text,
        request_hash -> Text,
        status -> Integer,
        response -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(events -> submissions (submission_id));
diesel::allow_tables_to_appear_in_same_query!(tokens, submissions, events, idempotency);
