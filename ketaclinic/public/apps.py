from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "ketaclinic.public"
    label = "public"
    verbose_name = "Public site"

    def ready(self):
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import demo, nav, sections
        from ketaclinic.public import seed

        nav.register("Reviews", "public:moderation_queue", perm=Perm.REVIEW_MODERATE, order=80, more=True)
        nav.register("Directory listing", "public:listing_edit", perm=Perm.CLINIC_EDIT, order=85, more=True)
        sections.register_portal_nav("Write a review", "public:write_review", order=80)
        demo.register(seed.seed_directory, order=70)
