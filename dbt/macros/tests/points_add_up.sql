{#- A criteria set's heading (a field, a criterion with sub-criteria) is worth exactly the points of its
    children: the totals a self-assessment prints are the decision's. -#}
{% test points_add_up(model) %}
with children as (
    select criteria_set_key, parent_code, sum(max_points) as children_points
    from {{ model }}
    where parent_code is not null
    group by criteria_set_key, parent_code
)
select headings.criteria_set_key, headings.criterion_code, headings.max_points, children.children_points
from {{ model }} as headings
inner join children
    on children.criteria_set_key = headings.criteria_set_key
    and children.parent_code = headings.criterion_code
where abs(headings.max_points - children.children_points) > 0.001
{% endtest %}
