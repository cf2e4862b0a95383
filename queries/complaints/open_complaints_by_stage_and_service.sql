-- Open complaints as at the data's as-at date, by stage and service: how long they have been
-- open (working days since receipt, the day received being day 0), how many are past the
-- deadline they are working to (with any permitted extension), and how many fall due between
-- the as-at date and the end of the fifth working day after it.
-- Grain: one row per stage and service with open complaints.
-- Parameters: $services, $channels (lists, or NULL for all).
with as_at_day as (
    select
        a.as_at_date,
        c.wd_index as as_at_wd,
        w.date as due_soon_until
    from as_at as a
    inner join calendar as c on a.as_at_date = c.date
    inner join workdays as w on c.wd_index + 5 = w.wd_index
),

open_now as (
    select
        k.stage,
        k.service,
        k.overdue,
        d.as_at_wd - cr.wd_index as days_open,
        not k.overdue and k.extended_due_on <= d.due_soon_until as due_soon
    from complaints_v as k
    inner join calendar as cr on k.received_on = cr.date
    cross join as_at_day as d
    where
        k.is_open
        and in_scope(k.service, $services)
        and in_scope(k.channel, $channels)
),

final as (
    select
        stage,
        service,
        count(*) as open_complaints,
        count(*) filter (where days_open <= 5) as open_0_to_5_days,
        count(*) filter (where days_open between 6 and 10) as open_6_to_10_days,
        count(*) filter (where days_open between 11 and 20) as open_11_to_20_days,
        count(*) filter (where days_open > 20) as open_over_20_days,
        count(*) filter (where overdue) as overdue,
        count(*) filter (where due_soon) as due_within_5_days,
        max(days_open) as oldest_days_open
    from open_now
    group by stage, service
)

select * from final
order by stage, service
