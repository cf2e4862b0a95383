-- Complaint outcomes at each stage, by the date of the response: upheld, partly upheld and
-- not upheld (the decisions), refused and withdrawn, each counted apart.
-- Grain: one row per stage and outcome that occurred.
-- Parameters: $start, $end (responded between), $services, $channels (lists or NULL).
with answered as (
    select
        stage,
        outcome
    from complaints
    where
        responded_on between $start and $end
        and outcome is not null
        and in_scope(service, $services)
        and in_scope(channel, $channels)
),

final as (
    select
        stage,
        outcome,
        count(*) as complaints
    from answered
    group by stage, outcome
)

select * from final
order by stage, outcome
