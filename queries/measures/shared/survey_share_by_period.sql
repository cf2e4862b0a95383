-- Survey answers scoring 4 or 5 (satisfied, agree or standard met), weighted, with the
-- unweighted base and the sum of squared weights (the engine works out Kish's effective
-- sample size for the interval from the sums: weight sum squared over weight_squares).
-- Read from satisfaction_monthly (answers counted by month with their sums of weights).
-- Additive: sums over answers that each fall in one service and one period, no condition
-- on the sums, so a selection of services, or a quarter's months, is the sum of their rows.
-- The catalogue picks the survey and question (NULL = every question of the survey) and may
-- restrict channels ($only_channels, $digital, e.g. non-digital contacts), age bands
-- ($only_ages), or to respondents aged 65 or over or disabled ($older_or_disabled = true).
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Parameters: $survey, $question, $only_channels, $only_ages, $older_or_disabled, $by,
-- $grain, $start, $end, $services, $channels.
with answers as (
    select
        period_start($grain, s.month_start) as period_start,
        breakdown($by, s.service, s.channel, null, null) as service,
        s.satisfied,
        s.answers,
        s.sum_w,
        s.sum_w2
    from satisfaction_monthly as s
    where
        s.survey = $survey
        and ($question is null or s.question = $question)
        and s.month_start between $start and $end
        and in_scope(s.channel, $only_channels)
        and ($digital is null or coalesce(
            s.channel in (select d.channel from digital_channels as d), false
        ) = $digital)
        and in_scope(s.age_band, $only_ages)
        and (not coalesce($older_or_disabled, false) or s.older_or_disabled)
        and in_scope(s.service, $services)
        and in_scope(s.channel, $channels)
),

final as (
    select
        period_start,
        service,
        coalesce(sum(sum_w) filter (where satisfied), 0) as numerator,
        sum(sum_w) as denominator,
        sum(answers) as base,
        sum(sum_w2) as weight_squares
    from answers
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
