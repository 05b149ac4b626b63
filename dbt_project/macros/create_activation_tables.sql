{#
    The engine-owned tables in schema `activation`. The sync engine writes them; dbt only
    creates them (so `sync_plans` always has something to read) and never drops or alters them.
#}
{% macro create_activation_tables() %}
    create schema if not exists activation;

    create table if not exists activation.sync_definitions (
        sync_id varchar primary key,
        audience varchar,
        destination varchar,
        destination_type varchar,
        consent_channel varchar,
        mode varchar,
        identifier_columns varchar[],
        removal_threshold double
    );

    create table if not exists activation.delivery_ledger (
        sync_id varchar,
        profile_id varchar,
        identifiers json,
        traits_hash varchar,
        first_added_at timestamptz,
        last_acknowledged_at timestamptz,
        last_run_id varchar,
        primary key (sync_id, profile_id)
    );

    create table if not exists activation.sync_runs (
        run_id varchar,
        sync_id varchar,
        started_at timestamptz,
        finished_at timestamptz,
        is_dry_run boolean,
        status varchar,
        planned bigint,
        added bigint,
        updated bigint,
        removed bigint,
        invalid bigint,
        rejected bigint,
        failed bigint,
        suppressed bigint,
        skipped bigint,
        message varchar
    );

    create table if not exists activation.sync_rejections (
        run_id varchar,
        sync_id varchar,
        profile_id varchar,
        action varchar,
        status varchar,
        reason varchar,
        traits_hash varchar,
        recorded_at timestamptz
    );

    create table if not exists activation.sync_bindings (
        sync_id varchar primary key,
        destination varchar,
        target varchar,
        bound_at timestamptz,
        endpoint varchar
    );
    -- Bindings recorded before endpoints were gain the column.
    alter table activation.sync_bindings add column if not exists endpoint varchar;

    create table if not exists activation.removal_approvals (
        sync_id varchar,
        approved_removals bigint,
        approved_by varchar,
        approved_at timestamptz,
        consumed_run_id varchar,
        approved_profiles varchar[]
    );
    -- Warehouses created before approvals named their people gain the column.
    alter table activation.removal_approvals add column if not exists approved_profiles varchar[];
{% endmacro %}
