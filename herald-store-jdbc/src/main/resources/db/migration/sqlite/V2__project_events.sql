-- Project streams replay a project's retained events after a reader's cursor.
CREATE INDEX events_project_position ON events (project, position);
