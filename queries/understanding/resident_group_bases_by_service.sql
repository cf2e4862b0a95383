-- How many answers each resident group has in each service (or channel, $by), with the
-- other filter kept: the breakdown a filtered resident-group table is suppressed against, so
-- a small group in one service cannot be worked out from the council's figure and the other
-- services'. Read from the answers counted by month and resident group
-- (satisfaction_groups_monthly), as satisfaction_by_resident_group.sql reads them.
-- Grain: one row per dimension, group and service (or channel) over the span $start to $end.
-- Parameters: $survey, $question, $only_channels, $digital, $start, $end, $by, $services,
-- $channels.
with answers as (
    select
        g.dimension,
        g.resident_group,
        g.answers,
        breakdown($by, g.service, g.channel, null, null) as grp
    from satisfaction_groups_monthly as g
    where
        g.survey = $survey
        and ($question is null or g.question = $question)
        and g.month_start between $start and $end
        and in_scope(g.channel, $only_channels)
        and ($digital is null or coalesce(
            g.channel in (select d.channel from digital_channels as d), false
        ) = $digital)
        and in_scope(g.service, $services)
        and in_scope(g.channel, $channels)
),

final as (
    select
        dimension,
        resident_group,
        grp as service,
        sum(answers)::bigint as base
    from answers
    where grp is not null
    group by dimension, resident_group, grp
)

select * from final
order by dimension, resident_group, service
