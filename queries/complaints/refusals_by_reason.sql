-- Complaints the council refused to take through the procedure, by the reason code recorded
-- (blank reasons as 'not_recorded'), by the date of the refusal.
-- Grain: one row per stage and reason.
-- Parameters: $start, $end (responded between), $services, $channels (lists or NULL).
with refused as (
    select
        stage,
        coalesce(nullif(trim(refusal_reason), ''), 'not_recorded') as reason
    from complaints
    where
        outcome = 'refused'
        and responded_on between $start and $end
        and in_scope(service, $services)
        and in_scope(channel, $channels)
),

final as (
    select
        stage,
        reason,
        count(*) as complaints
    from refused
    group by stage, reason
)

select * from final
order by stage asc, complaints desc, reason asc
