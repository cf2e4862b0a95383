-- The survey questions the satisfaction extract holds, with how many answers each has (the
-- load warns about questions no measure reads: usually a code the mapping should translate).
-- Parameters: none.
select
    survey,
    question,
    count(*) as answers
from satisfaction
group by all
order by survey, question
