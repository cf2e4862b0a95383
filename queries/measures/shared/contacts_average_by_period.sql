-- An average over contacts: a total (numerator, in the unit asked for: $per 1 for
-- seconds, 60 for minutes) over a count (denominator), both from the monthly contact counts
-- (contact_counts), named by the catalogue: the average speed of answer (seconds answered
-- callers waited), the average wait at service centres (minutes visitors waited).
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL),
-- where the count is not nought (a total is only ever of contacts it counts).
-- Additive: sums over contacts in one service and one period each, no condition on the
-- sums, so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $total_count, $of_count, $per, $by (service, channel or site), $grain,
-- $start, $end, $services, $channels.
with counted as (
    select
        period_start($grain, k.month_start) as period_start,
        breakdown($by, k.service, k.channel, k.site, null) as service,
        k.count_name,
        k.amount
    from contact_counts as k
    where
        k.count_name in ($total_count, $of_count)
        and k.month_start between $start and $end
        and in_scope(k.service, $services)
        and in_scope(k.channel, $channels)
),

final as (
    select
        period_start,
        service,
        coalesce(sum(amount) filter (where count_name = $total_count), 0)
        / $per as numerator,
        sum(amount) filter (where count_name = $of_count) as denominator
    from counted
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
