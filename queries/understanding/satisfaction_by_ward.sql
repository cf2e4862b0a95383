-- Resident satisfaction and trust by ward: weighted shares answering 4 or 5, with the sums
-- needed for intervals (Kish effective base), over a span of months.
-- Grain: one row per ward and question.
-- Parameters: $start, $end.
with answers as (
    select
        coalesce(s.ward, 'Not stated') as ward,
        s.question,
        s.satisfied,
        s.w
    from satisfaction_v as s
    where
        s.survey = 'resident_survey'
        and s.question in ('satisfied_with_council', 'trust_council')
        and s.responded_on between $start and $end
),

final as (
    select
        ward,
        question,
        coalesce(sum(w) filter (where satisfied), 0) as numerator,
        sum(w) as denominator,
        sum(w * w) as sum_w2,
        count(*) as base
    from answers
    group by ward, question
)

select * from final
order by ward, question
