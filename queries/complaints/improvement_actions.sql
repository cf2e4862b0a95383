-- Action plan items that answer complaint themes (a non-blank `categories` list): what is
-- being done, by whom, by when, and how far it has got, for the annual report's learning
-- and service improvement section. Withdrawn actions are left out.
-- Grain: one row per action.
-- Parameters: none.
with linked as (
    select
        action_id,
        title,
        owner,
        status,
        due_on,
        progress_pct,
        last_update_on,
        replace(categories, ';', ', ') as themes
    from actions
    where
        nullif(trim(categories), '') is not null
        and status != 'withdrawn'
),

final as (
    select * from linked
)

select * from final
order by status = 'complete', due_on, action_id
