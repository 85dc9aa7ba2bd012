from django.db import migrations

# The 13 customer questions (klantvragen) of the product brief.
QUESTIONS = [
    ("verhuizen", "Verhuizen", "Moving house"),
    ("geboorte-gezin", "Geboorte en gezin", "Birth and family"),
    ("trouwen-samenwonen", "Trouwen en samenwonen", "Marriage and partnership"),
    ("overlijden", "Overlijden", "Death of a relative"),
    ("identiteit-reizen", "Paspoort, ID-kaart en rijbewijs", "ID documents and travel"),
    ("wonen-bouwen", "Wonen en (ver)bouwen", "Housing and building"),
    ("ondernemen", "Ondernemen", "Running a business"),
    ("werk-inkomen", "Werk en inkomen", "Work and income"),
    ("zorg-ondersteuning", "Zorg en ondersteuning", "Care and support"),
    ("belastingen-betalen", "Belastingen en betalen", "Local taxes and payments"),
    ("afval-buurt", "Afval, buurt en meldingen", "Waste, neighbourhood and reports"),
    ("parkeren-verkeer", "Parkeren en verkeer", "Parking and traffic"),
    ("meedoen-inspraak", "Meedoen en inspraak", "Participation and objections"),
]


def seed(apps, schema_editor):
    CustomerQuestion = apps.get_model("components", "CustomerQuestion")
    for position, (code, name, name_en) in enumerate(QUESTIONS, start=1):
        CustomerQuestion.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("components", "0002_spdx_licenses")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
