-- Demand for staffing: average contacts per day by weekday and hour of the day, over the
-- days from $start to $end, for the channels chosen (phone and face to face when none are
-- chosen). The caller clips the span to the days the extract covers, so a four-week extract
-- is averaged over its four weeks, not a year.
-- Grain: one row per weekday (1 = Monday) and hour.
-- Parameters: $start, $end, $services, $channels.
with counted as (
    select
        h.weekday,
        h.hour_of_day,
        sum(h.contacts) as contacts
    from contacts_by_hour as h
    where
        h.month_start between date_trunc('month', $start::date) and $end
        and in_scope(h.service, $services)
        and list_contains(coalesce($channels, ['phone', 'face_to_face']), h.channel)
    group by h.weekday, h.hour_of_day
),

days as (
    select
        isodow(c.date) as weekday,
        count(*) as days
    from calendar as c
    where c.date between $start and $end
    group by isodow(c.date)
),

final as (
    select
        k.weekday,
        k.hour_of_day,
        k.contacts,
        k.contacts / d.days as per_day
    from counted as k
    inner join days as d on k.weekday = d.weekday
)

select * from final
order by weekday, hour_of_day
