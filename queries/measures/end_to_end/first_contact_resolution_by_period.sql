-- First contact resolution: contacts resolved at the first contact, of the contacts where
-- resolution was recorded (blanks are not recorded).
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end, $services, $channels.
with recorded as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, c.site, NULL) as service,
        c.resolved_first_contact
    from contacts_v as c
    where
        c.resolved_first_contact is not null
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where resolved_first_contact) as numerator,
        count(*) as denominator
    from recorded
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
