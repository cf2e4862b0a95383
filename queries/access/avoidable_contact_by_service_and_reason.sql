-- Why contacts were avoidable: avoidable contacts by service and reason over a span of
-- months, with each service's contacts classified (the share's denominator).
-- Grain: one row per service and reason.
-- Parameters: $start, $end, $services, $channels.
with classified as (
    select
        c.service,
        c.avoidable,
        coalesce(c.avoidable_reason, 'Reason not recorded') as reason
    from contacts_v as c
    where
        c.avoidable is not null
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

totals as (
    select
        service,
        count(*) as classified
    from classified
    group by service
),

final as (
    select
        k.service,
        k.reason,
        count(*) as avoidable,
        t.classified
    from classified as k
    inner join totals as t on k.service = t.service
    where k.avoidable
    group by k.service, k.reason, t.classified
)

select * from final
order by service asc, avoidable desc
