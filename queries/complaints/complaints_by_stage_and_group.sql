-- Complaints received in the span at each stage, by service or by channel ($by), with the
-- other filter kept: the breakdown a filtered complaints panel is suppressed against, so a
-- small service's figures cannot be worked out from the council's and the other services'.
-- Grain: one row per stage and group.
-- Parameters: $start, $end, $by (service or channel), $services, $channels.
with scoped as (
    select
        stage,
        breakdown($by, service, channel, null, null) as grp
    from complaints_v
    where
        received_on between $start and $end
        and in_scope(service, $services)
        and in_scope(channel, $channels)
),

final as (
    select
        stage,
        grp as service,
        count(*) as base
    from scoped
    group by stage, grp
)

select * from final
order by stage, service
