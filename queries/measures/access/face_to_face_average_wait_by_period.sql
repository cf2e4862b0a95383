-- Face-to-face average wait: mean minutes visitors waited to be seen at a service centre.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end, $services, $channels.
with visits as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, c.site, NULL) as service,
        c.wait_seconds / 60.0 as wait_minutes
    from contacts_v as c
    where
        c.channel = 'face_to_face'
        and c.wait_seconds is not null
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        avg(wait_minutes) as value,
        count(*) as base
    from visits
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
