-- A share of contacts: one count over another, both from the monthly contact counts
-- (contact_counts), named by the catalogue: calls answered within 60 seconds of calls,
-- abandoned calls of calls, digital of all contacts, avoidable of those classified,
-- resolved first time of those recorded ($numerator_count, $denominator_count).
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL),
-- where either count is not nought (contact_counts holds no noughts).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $numerator_count, $denominator_count, $by (service, channel or site),
-- $grain, $start, $end, $services, $channels.
with counted as (
    select
        period_start($grain, k.month_start) as period_start,
        breakdown($by, k.service, k.channel, k.site, null) as service,
        k.count_name,
        k.amount
    from contact_counts as k
    where
        k.count_name in ($numerator_count, $denominator_count)
        and k.month_start between $start and $end
        and in_scope(k.service, $services)
        and in_scope(k.channel, $channels)
),

final as (
    select
        period_start,
        service,
        coalesce(sum(amount) filter (where count_name = $numerator_count), 0) as numerator,
        sum(amount) filter (where count_name = $denominator_count) as denominator
    from counted
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
