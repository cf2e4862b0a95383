-- Face-to-face visits and average waits by service centre over a span of months.
-- Grain: one row per service centre, the busiest first (ties by name, so the order is fixed).
-- Parameters: $start, $end, $services.
with visits as (
    select
        coalesce(m.site, 'Not recorded') as site,
        m.contacts,
        m.visits_with_wait,
        m.visit_wait_seconds
    from contacts_monthly as m
    where
        m.channel = 'face_to_face'
        and m.month_start between $start and $end
        and in_scope(m.service, $services)
),

final as (
    select
        site,
        sum(contacts) as visits,
        sum(visit_wait_seconds) / 60.0 / nullif(sum(visits_with_wait), 0) as average_wait
    from visits
    group by site
)

select * from final
order by visits desc, site asc
