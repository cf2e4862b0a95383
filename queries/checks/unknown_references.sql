-- Cross-file checks: rows that refer to a measure or pillar the configuration does not know
-- (targets for unknown measures, actions for unknown pillars, ...). They are loaded, but
-- reported as warnings so a council can fix its extracts or its configuration.
-- Grain: one row per extract, column and unknown value.
-- Parameters: $measures (the catalogue's ids), $pillars (the strategy's pillar ids).
with refs as (
    select
        'targets' as extract,
        'measure_id' as column_name,
        measure_id as value
    from targets
    where not list_contains($measures, measure_id)
    union all
    select
        'returns' as extract,
        'measure_id' as column_name,
        measure_id as value
    from returns
    where not list_contains($measures, measure_id)
    union all
    select
        'actions' as extract,
        'pillar' as column_name,
        pillar as value
    from actions
    where not list_contains($pillars, pillar)
    union all
    select
        'actions' as extract,
        'measures' as column_name,
        unnest(string_split(measures, ';')) as value
    from actions
    where measures is not null
    union all
    select
        'events' as extract,
        'measure' as column_name,
        measure as value
    from events
    where measure is not null and not list_contains($measures, measure)
    union all
    select
        'events' as extract,
        'pillar' as column_name,
        pillar as value
    from events
    where pillar is not null and not list_contains($pillars, pillar)
    union all
    select
        'commentary' as extract,
        'measure' as column_name,
        measure as value
    from commentary
    where not list_contains($measures, measure)
    union all
    select
        'peers' as extract,
        'measure' as column_name,
        measure as value
    from peers
    where not list_contains($measures, measure)
),

final as (
    select
        extract,
        column_name,
        trim(value) as value,
        count(*) as rows
    from refs
    where
        trim(value) != ''
        and not (column_name = 'measures' and list_contains($measures, trim(value)))
    group by all
)

select * from final
order by extract, column_name, value
