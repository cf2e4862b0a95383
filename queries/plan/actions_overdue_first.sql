-- Action plan items, overdue first, then open actions by due date, then finished ones
-- (complete or withdrawn) by due date: the order a committee reads the plan in.
-- Overdue: due before the data's "as at" date and neither complete nor withdrawn, whatever
-- its status says. measure_ids splits the ';' separated measures column into a list.
-- Grain: one row per action.
-- Parameters: $pillars (pillar ids, NULL = all), $statuses (status codes, NULL = all),
-- $overdue (true: also keep overdue actions whatever their status; used with $statuses).
with actions_as_at as (
    select
        a.*,
        d.as_at_date,
        a.status not in ('complete', 'withdrawn') as is_open
    from actions as a
    cross join as_at as d
),

judged as (
    select
        *,
        is_open and due_on < as_at_date as overdue,
        case when is_open and due_on < as_at_date then as_at_date - due_on end as days_overdue,
        list_filter(
            list_transform(string_split(coalesce(measures, ''), ';'), lambda m: trim(m)),
            lambda m: m != ''
        ) as measure_ids
    from actions_as_at
),

final as (
    select
        action_id,
        pillar,
        title,
        owner,
        due_on,
        status,
        progress_pct,
        last_update_on,
        update,
        measure_ids,
        is_open,
        overdue,
        days_overdue,
        as_at_date
    from judged
    where
        in_scope(pillar, $pillars)
        and (in_scope(status, $statuses) or ($overdue and overdue))
)

select * from final
order by not overdue, not is_open, due_on, action_id
