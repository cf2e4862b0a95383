-- Channel mix: contacts received by channel in each period (the page turns them into shares).
-- Grain: one row per period and channel.
-- Parameters: $grain, $start, $end, $services, $channels.
with counted as (
    select
        period_start($grain, m.month_start) as period_start,
        m.channel,
        m.contacts
    from contacts_monthly as m
    where
        m.month_start between $start and $end
        and in_scope(m.service, $services)
        and in_scope(m.channel, $channels)
),

final as (
    select
        period_start,
        channel,
        sum(contacts) as contacts
    from counted
    group by period_start, channel
)

select * from final
order by period_start, channel
