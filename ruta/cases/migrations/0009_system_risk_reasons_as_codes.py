"""Risk reasons Ruta wrote in the writer's language become codes (``ruta.cases.system_text``),
so they read in the reader's language. Only exact system texts move; anything a person wrote
stays as it is."""

from typing import Any

from django.db import migrations

# The texts as the catalogs had them when they were written, in both languages.
WRITTEN = {
    "PHQ-9 item 9 answered above 0: risk of suicide or self-harm.": "ruta:phq9_item9",
    "Ítem 9 del PHQ-9 respondido por encima de 0: riesgo de suicidio o autolesión.": (
        "ruta:phq9_item9"
    ),
    "Received as an urgent referral.": "ruta:urgent_referral",
    "Recibido como derivación urgente.": "ruta:urgent_referral",
}


def to_codes(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("cases", "Case")
    for pk, reason in (
        case_model.objects.exclude(risk_reason="").values_list("pk", "risk_reason").iterator()
    ):
        code = WRITTEN.get((reason or "").strip())
        if code:
            case_model.objects.filter(pk=pk).update(risk_reason=code)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_closure_risk_override_reason")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
