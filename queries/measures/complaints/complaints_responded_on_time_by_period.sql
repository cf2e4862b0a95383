-- Complaints responded to within the Complaint Handling Code timescale at one stage
-- ($stage: 1 = 10 working days, 2 = 20 working days from acknowledgement), without or with a
-- permitted extension ($with_extension), by the period the response fell due. Withdrawn
-- complaints are left out; one still open past its deadline counts as late; one open and
-- not yet due is left out until it is.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $by (breakdown: service, channel, site or contractor), $stage, $with_extension,
-- $grain, $start, $end, $services, $channels.
with clocks as (
    select
        c.*,
        case when $with_extension then c.extended_due_on else c.due_on end as deadline,
        case when $with_extension then c.extended_due_by else c.due_by end as deadline_by
    from complaints_v as c
    where c.stage = $stage and not c.is_withdrawn
),

due as (
    select
        period_start($grain, k.deadline) as period_start,
        breakdown($by, k.service, k.channel, null, k.contractor) as service,
        coalesce(k.responded_on <= k.deadline_by, false) as on_time
    from clocks as k
    where
        (k.responded_on is not null or k.as_at_date > k.deadline_by)
        and k.deadline between $start and $end
        and in_scope(k.service, $services)
        and in_scope(k.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where on_time) as numerator,
        count(*) as denominator
    from due
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
