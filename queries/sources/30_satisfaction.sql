-- Survey answers: 4 or 5 on the five-point scale counts as satisfied, agree or standard met.
create or replace view satisfaction_v as
select
    s.*,
    s.score >= 4 as satisfied,
    coalesce(s.weight, 1.0) as w
from satisfaction as s;

-- The same answers with the resident-group columns the equality breakdowns unpivot: one
-- home for how each answer is placed in an age, disability, ethnicity, language and
-- deprivation group ('Not stated' when the survey did not ask or the resident did not say).
create or replace view satisfaction_groups_v as
select
    s.*,
    coalesce(s.age_band, 'Not stated') as age,
    case s.disability
        when true then 'Disabled'
        when false then 'Not disabled'
        else 'Not stated'
    end as disability_group,
    coalesce(s.ethnicity, 'Not stated') as ethnicity_group,
    case s.first_language_english
        when true then 'English'
        when false then 'Not English'
        else 'Not stated'
    end as first_language,
    case s.imd_quintile
        when 1 then '1 (most deprived)'
        when 5 then '5 (least deprived)'
        when 2 then '2'
        when 3 then '3'
        when 4 then '4'
        else 'Not stated'
    end as deprivation
from satisfaction_v as s;
