-- What is being done about the top complaint themes: the categories with most new (stage 1)
-- complaints received in the period, each with the action plan items whose `categories`
-- list (';' separated, matched without regard to case or spaces) names it. A theme with no
-- action has one row with a blank action.
-- Grain: one row per theme and linked action.
-- Parameters: $start, $end (received between), $services, $channels (lists or NULL), $top.
with themes as (
    select
        coalesce(nullif(trim(category), ''), 'Not recorded') as category,
        count(*) as complaints,
        count(*) filter (where outcome in ('upheld', 'partly_upheld')) as upheld
    from complaints
    where
        stage = 1
        and received_on between $start and $end
        and in_scope(service, $services)
        and in_scope(channel, $channels)
    group by all
),

ranked as (
    select
        *,
        row_number() over (order by complaints desc, category asc) as theme_rank
    from themes
),

action_themes as (
    select
        a.action_id,
        a.title,
        a.owner,
        a.status,
        a.due_on,
        a.progress_pct,
        lower(trim(unnest(string_split(a.categories, ';')))) as theme
    from actions as a
    where nullif(trim(a.categories), '') is not null
),

final as (
    select
        r.theme_rank,
        r.category,
        r.complaints,
        r.upheld,
        t.action_id,
        t.title,
        t.owner,
        t.status,
        t.due_on,
        t.progress_pct
    from ranked as r
    left join action_themes as t on lower(r.category) = t.theme
    where r.theme_rank <= $top
)

select * from final
order by theme_rank, due_on nulls last, action_id
