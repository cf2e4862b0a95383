-- Complaints escalated from stage 1 to stage 2: stage 1 complaints answered in the period
-- (withdrawn ones left out) that have a stage 2 record, by the period of the stage 1 response.
-- Recent periods rise as residents still have time to escalate.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $by (breakdown: service, channel, site or contractor), $grain, $start, $end,
-- $services, $channels.
with stage_two as (
    select distinct complaint_id
    from complaints
    where stage = 2
),

stage_one as (
    select
        period_start($grain, c.responded_on) as period_start,
        breakdown($by, c.service, c.channel, null, c.contractor) as service,
        s2.complaint_id is not null as escalated
    from complaints as c
    left join stage_two as s2 on c.complaint_id = s2.complaint_id
    where
        c.stage = 1
        and coalesce(c.outcome, '') != 'withdrawn'
        and c.responded_on between $start and $end
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where escalated) as numerator,
        count(*) as denominator
    from stage_one
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
