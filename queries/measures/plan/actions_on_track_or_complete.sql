-- Action plan: actions on track or complete, as a share of live actions (withdrawn ones left
-- out), as at the latest update. The action plan has no history, so there is one figure, in
-- the period of the data's "as at" date; overdue actions count as not on track whatever
-- their status says.
-- Grain: one row (service NULL).
-- Parameters: $grain.
with live as (
    select
        a.status,
        a.due_on < d.as_at_date and a.status != 'complete' as overdue,
        d.as_at_date
    from actions as a
    cross join as_at as d
    where a.status != 'withdrawn'
),

final as (
    select
        period_start($grain, max(as_at_date)) as period_start,
        null::varchar as service,
        count(*) filter (where status in ('on_track', 'complete') and not overdue) as numerator,
        count(*) as denominator
    from live
)

select * from final
