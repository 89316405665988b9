"""The feedback themes of the relationship survey's comments."""


def _tag_feedback_themes(env, nps_question):
    """The feedback themes of the answers' comments: three in five of the
    detractors and passives name one, one in five a second."""
    env.cr.execute(
        """
        INSERT INTO logistics_feedback_theme_answer_rel (answer_id, theme_id)
        SELECT answer.id, (%(themes)s::int[])[1 + (answer.id + k) %% %(count)s]
          FROM survey_user_input answer
          JOIN survey_user_input_line line
            ON line.user_input_id = answer.id AND line.question_id = %(nps)s
         CROSS JOIN generate_series(0, 1) k
         WHERE answer.state = 'done' AND line.value_scale <= 8
           AND (answer.id * 7 + k * 3) %% 10 < CASE k WHEN 0 THEN 6 ELSE 2 END
        """,
        {
            "themes": env["logistics.feedback.theme"].search([]).ids,
            "count": env["logistics.feedback.theme"].search_count([]),
            "nps": nps_question,
        },
    )
