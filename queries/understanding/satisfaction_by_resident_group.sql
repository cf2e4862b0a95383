-- Who is less satisfied? Survey answers scoring 4 or 5, weighted, by resident group: age,
-- disability, ethnicity, first language and deprivation of home area. Each row carries its
-- unweighted base, the sum of squared weights (for Kish's effective base of the group and
-- of everyone else in the same dimension) so the engine can test each group against the rest.
-- Read from the answers counted by month and resident group (satisfaction_groups_monthly),
-- over the months from $start to $end, as the survey measures read theirs.
-- Grain: one row per dimension and group over the span $start to $end.
-- Parameters: $survey, $question, $only_channels, $digital, $start, $end, $services,
-- $channels.
with answers as (
    select
        g.dimension,
        g.resident_group,
        g.satisfied,
        g.answers,
        g.sum_w,
        g.sum_w2
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
        coalesce(sum(sum_w) filter (where satisfied), 0) as numerator,
        sum(sum_w) as denominator,
        sum(sum_w2) as sum_w2,
        sum(answers)::bigint as base
    from answers
    group by dimension, resident_group
)

select * from final
order by dimension, resident_group
