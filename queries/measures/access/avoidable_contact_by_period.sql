-- Avoidable contact (NI 14): contacts classified as avoidable (chasing, repeat, unclear
-- information) as a share of the contacts that were classified; blanks are unclassified.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end, $services, $channels.
with classified as (
    select
        period_start($grain, c.received_on) as period_start,
        breakdown($by, c.service, c.channel, c.site, NULL) as service,
        c.avoidable
    from contacts_v as c
    where
        c.avoidable is not null
        and c.received_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where avoidable) as numerator,
        count(*) as denominator
    from classified
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
