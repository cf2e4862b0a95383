-- How many actions have each status, and how many of them are overdue (due before the
-- data's "as at" date and neither complete nor withdrawn).
-- Grain: one row per status present in the plan.
-- Parameters: $pillars (pillar ids, NULL = all).
with judged as (
    select
        a.status,
        a.status not in ('complete', 'withdrawn') and a.due_on < d.as_at_date as overdue
    from actions as a
    cross join as_at as d
    where in_scope(a.pillar, $pillars)
),

final as (
    select
        status,
        count(*) as actions,
        count(*) filter (where overdue) as overdue
    from judged
    group by status
)

select * from final
order by status
