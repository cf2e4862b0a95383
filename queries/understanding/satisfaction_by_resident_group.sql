-- Who is less satisfied? Survey answers scoring 4 or 5, weighted, by resident group: age,
-- disability, ethnicity, first language and deprivation of home area. Each row carries its
-- unweighted base, the sum of squared weights (for Kish's effective base of the group and
-- of everyone else in the same dimension) so the engine can test each group against the rest.
-- Grain: one row per dimension and group over the span $start to $end.
-- Parameters: $survey, $question, $only_channels, $digital, $start, $end, $services,
-- $channels.
with answers as (
    select
        s.satisfied,
        s.w,
        s.age,
        s.disability_group as disability,
        s.ethnicity_group as ethnicity,
        s.first_language,
        s.deprivation
    from satisfaction_groups_v as s
    where
        s.survey = $survey
        and ($question is null or s.question = $question)
        and s.responded_on between $start and $end
        and in_scope(s.channel, $only_channels)
        and ($digital is null or coalesce(
            s.channel in (select d.channel from digital_channels as d), false
        ) = $digital)
        and in_scope(s.service, $services)
        and in_scope(s.channel, $channels)
),

long as (
    unpivot answers
    on age, disability, ethnicity, first_language, deprivation
    into name dimension value resident_group
),

final as (
    select
        dimension,
        resident_group,
        coalesce(sum(w) filter (where satisfied), 0) as numerator,
        sum(w) as denominator,
        sum(w * w) as sum_w2,
        count(*) as base
    from long
    group by dimension, resident_group
)

select * from final
order by dimension, resident_group
