-- Cross-file checks: rows that refer to a measure or pillar the configuration does not know
-- (targets for unknown measures, actions for unknown pillars, ...). They are loaded, but
-- reported as warnings so a council can fix its extracts or its configuration.
-- Grain: one row per extract, column and unknown value.
-- Parameters: $measures (the catalogue's ids), $pillars (the strategy's pillar ids).
with refs as (
    select 'targets' as extract, 'measure_id' as column_name, measure_id as value
    from targets
    where not list_contains($measures, measure_id)
    union all
    select 'returns', 'measure_id', measure_id
    from returns
    where not list_contains($measures, measure_id)
    union all
    select 'actions', 'pillar', pillar
    from actions
    where not list_contains($pillars, pillar)
    union all
    select 'actions', 'measures', unnest(string_split(measures, ';')) as value
    from actions
    where measures is not null
    union all
    select 'events', 'measure', measure
    from events
    where measure is not null and not list_contains($measures, measure)
    union all
    select 'events', 'pillar', pillar
    from events
    where pillar is not null and not list_contains($pillars, pillar)
    union all
    select 'commentary', 'measure', measure
    from commentary
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
