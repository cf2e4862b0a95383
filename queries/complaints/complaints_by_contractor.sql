-- Complaints about contractors, by contractor: stage 1 complaints received, how many went to
-- stage 2, and the decisions (upheld, partly upheld or not upheld, at either stage) made on
-- them; all received in the period. The service is the one the contractor works for.
-- Grain: one row per contractor and service.
-- Parameters: $start, $end (stage 1 received between), $services, $channels (lists or NULL).
with stage_one as (
    select
        complaint_id,
        trim(contractor) as contractor,
        service
    from complaints
    where
        stage = 1
        and nullif(trim(contractor), '') is not null
        and received_on between $start and $end
        and in_scope(service, $services)
        and in_scope(channel, $channels)
),

stages as (
    select
        s1.contractor,
        s1.service,
        s1.complaint_id,
        c.stage,
        c.outcome
    from stage_one as s1
    inner join complaints as c on s1.complaint_id = c.complaint_id
),

final as (
    select
        contractor,
        service,
        count(distinct complaint_id) as complaints,
        count(*) filter (where stage = 2) as escalated,
        count(*) filter (
            where outcome in ('upheld', 'partly_upheld', 'not_upheld')
        ) as decisions,
        count(*) filter (where outcome in ('upheld', 'partly_upheld')) as upheld
    from stages
    group by contractor, service
)

select * from final
order by complaints desc, contractor asc
