-- Digital take-up (GOV.UK definition): contacts completed online (web or app), including
-- those completed online with staff help (assisted digital), as a share of all contacts.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end, $services, $channels.
with contacts_in_scope as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, c.site, NULL) as service,
        c.is_digital
    from contacts_v as c
    where
        c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where is_digital) as numerator,
        count(*) as denominator
    from contacts_in_scope
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
