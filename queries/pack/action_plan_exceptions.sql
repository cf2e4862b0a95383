-- Action plan exceptions for the committee: live actions that are overdue, at risk or
-- delayed, overdue first, as at the data's "as at" date.
-- Grain: one row per action.
-- Parameters: none.
with live as (
    select
        a.action_id,
        a.pillar,
        a.title,
        a.owner,
        a.due_on,
        a.status,
        a.progress_pct,
        a.last_update_on,
        a.due_on < d.as_at_date and a.status != 'complete' as overdue,
        datediff('day', a.due_on, d.as_at_date) as days_overdue
    from actions as a
    cross join as_at as d
    where a.status not in ('complete', 'withdrawn')
),

final as (
    select *
    from live
    where overdue or status in ('at_risk', 'delayed')
)

select * from final
order by overdue desc, due_on asc, action_id asc
