-- How stage 1 complaints received in the period moved on: stage 1 outcome, escalation to
-- stage 2, stage 2 outcome, referral to an Ombudsman and the Ombudsman's decision, as the
-- links of a flow (Sankey) diagram. Nodes are codes ('s1', 's1:upheld', 's2', 's2:open',
-- 'omb:lgsco', 'decision:pending'); the page puts them into words. An Ombudsman referral is
-- read from either stage (normally stage 2). Each complaint's journey is matched at load
-- (complaint_journeys).
-- Grain: one row per link (step, source, target) with the number of complaints.
-- Parameters: $start, $end (stage 1 received between), $services, $channels (lists or NULL).
with journeys as (
    select *
    from complaint_journeys
    where
        received_on between $start and $end
        and in_scope(service, $services)
        and in_scope(channel, $channels)
),

links as (
    select
        1 as step,
        's1' as source,
        stage_one_node as target
    from journeys
    union all
    select
        2 as step,
        stage_one_node as source,
        's2' as target
    from journeys
    where escalated
    union all
    select
        3 as step,
        's2' as source,
        stage_two_node as target
    from journeys
    where escalated
    union all
    select
        4 as step,
        coalesce(stage_two_node, stage_one_node) as source,
        ombudsman_node as target
    from journeys
    where referred
    union all
    select
        5 as step,
        ombudsman_node as source,
        decision_node as target
    from journeys
    where referred
),

final as (
    select
        step,
        source,
        target,
        count(*) as complaints
    from links
    group by step, source, target
)

select * from final
order by step asc, source asc, complaints desc, target asc
