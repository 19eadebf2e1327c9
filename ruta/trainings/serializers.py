"""Read-only representations of courses and training figures for the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ruta.trainings.models import Course, Module, TrainingSession


class TrainingModuleSerializer(serializers.ModelSerializer[Module]):
    class Meta:
        model = Module
        fields = ["uuid", "order", "title", "hours"]


class TrainingSessionSerializer(serializers.ModelSerializer[TrainingSession]):
    module: Any = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True, help_text="null: not tied to a module"
    )
    modality = serializers.CharField(read_only=True, help_text="online, in_person or hybrid")

    class Meta:
        model = TrainingSession
        fields = ["uuid", "starts_at", "modality", "place", "module"]


class CourseSerializer(serializers.ModelSerializer[Course]):
    status = serializers.CharField(read_only=True, help_text="draft, open or closed")
    modality = serializers.CharField(read_only=True, help_text="online, in_person or hybrid")
    network: Any = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organizers = serializers.SerializerMethodField()
    module_count = serializers.IntegerField(read_only=True)
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "uuid",
            "title",
            "description",
            "network",
            "organizers",
            "country",
            "modality",
            "starts_on",
            "ends_on",
            "min_modules",
            "min_attendance_pct",
            "status",
            "module_count",
            "session_count",
        ]

    def get_organizers(self, course: Course) -> list[str]:
        return [o.display_name for o in course.organizers.all()]


class CourseDetailSerializer(CourseSerializer):
    modules = TrainingModuleSerializer(many=True, read_only=True)
    sessions = TrainingSessionSerializer(many=True, read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "modules", "sessions"]


class TrainingCountSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class TrainingCourseFiguresSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    sessions = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    completed = serializers.IntegerField(help_text="Enrolled people who met the pass rule.")


class TrainingFiguresSerializer(serializers.Serializer[Any]):
    people_trained = serializers.IntegerField(
        help_text="Distinct people who met the pass rule of at least one course."
    )
    courses = TrainingCourseFiguresSerializer(many=True)
    by_organization = TrainingCountSerializer(many=True)
    by_country = TrainingCountSerializer(many=True)
    by_sex = TrainingCountSerializer(many=True)
