-- How many answers each resident group has in each service (or channel, $by), with the
-- other filter kept: the breakdown a filtered resident-group table is suppressed against, so
-- a small group in one service cannot be worked out from the council's figure and the other
-- services'.
-- Grain: one row per dimension, group and service (or channel) over the span $start to $end.
-- Parameters: $survey, $question, $only_channels, $digital, $start, $end, $by, $services,
-- $channels.
with answers as (
    select
        breakdown($by, s.service, s.channel, null, null) as grp,
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
        grp as service,
        count(*) as base
    from long
    where grp is not null
    group by dimension, resident_group, grp
)

select * from final
order by dimension, resident_group, service
