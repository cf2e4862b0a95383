-- Southmere resident survey (wide) -> satisfaction (one row per respondent and question).
-- Q3 "feel informed" is not a question the scorecard reports, so it is not unpivoted.
with answers as (
    unpivot source
    on q1_satisfaction_with_the_council, q2_trust_the_council
    into name question value score
)

select
    _file,
    _line,
    respondent as response_id,
    'resident_survey' as survey,
    -- the fieldwork month is in the file name: resident_survey_2025-11.csv
    strptime(regexp_extract(_file, '(\d{4}-\d{2})', 1) || '-01', '%Y-%m-%d')::date
        as responded_on,
    case question
        when 'q1_satisfaction_with_the_council' then 'satisfied_with_council'
        when 'q2_trust_the_council' then 'trust_council'
    end as question,
    score,
    weight,
    case
        when try_cast(age as integer) is null then null
        when age::integer < 25 then '16-24'
        when age::integer < 35 then '25-34'
        when age::integer < 45 then '35-44'
        when age::integer < 55 then '45-54'
        when age::integer < 65 then '55-64'
        when age::integer < 75 then '65-74'
        else '75+'
    end as age_band,
    lower(gender) as sex,
    disability,
    ethnic_group as ethnicity,
    english_first_language as first_language_english,
    imd_quintile,
    ward
from answers
