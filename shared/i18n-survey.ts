/**
 * The public survey page's words (api/modules/surveys/survey.page.ts) in English, Arabic,
 * Persian and Turkish. Here rather than in the API so the extension's catalog test checks them
 * with the same rules as every other string (no key missing, nothing left in English), without
 * the API importing extension code.
 */
export const surveyLanguages = ['en', 'ar', 'fa', 'tr'] as const;
export type SurveyLanguage = (typeof surveyLanguages)[number];

export const surveyText = {
  en: {
    title: 'How did we do?',
    greeting: 'Hi {name},',
    about: 'About your request: {subject}',
    csatQuestion: 'How satisfied are you with the help you received?',
    csatLow: 'Very dissatisfied',
    csatHigh: 'Very satisfied',
    npsQuestion: 'How likely are you to recommend us to a friend or colleague?',
    npsLow: 'Not at all likely',
    npsHigh: 'Extremely likely',
    comment: 'Anything you would like to tell us? (optional)',
    submit: 'Send',
    thanks: 'Thank you! Your answer has been recorded.',
    already: 'You have already answered this survey. Thank you!',
    notFound: 'This survey link is not valid. Please check that you copied the whole link.',
    invalid: 'Please choose a score.',
  },
  ar: {
    title: 'كيف كانت تجربتك؟',
    greeting: 'مرحبًا {name}،',
    about: 'بخصوص طلبك: {subject}',
    csatQuestion: 'ما مدى رضاك عن المساعدة التي تلقيتها؟',
    csatLow: 'غير راضٍ إطلاقًا',
    csatHigh: 'راضٍ جدًا',
    npsQuestion: 'ما مدى احتمال أن توصي بنا لصديق أو زميل؟',
    npsLow: 'غير محتمل إطلاقًا',
    npsHigh: 'محتمل جدًا',
    comment: 'هل هناك ما تود إخبارنا به؟ (اختياري)',
    submit: 'إرسال',
    thanks: 'شكرًا لك! تم تسجيل إجابتك.',
    already: 'لقد أجبت على هذا الاستطلاع من قبل. شكرًا لك!',
    notFound: 'رابط الاستطلاع هذا غير صالح. يُرجى التأكد من نسخ الرابط كاملًا.',
    invalid: 'يُرجى اختيار تقييم.',
  },
  fa: {
    title: 'تجربه‌ی شما چطور بود؟',
    greeting: 'سلام {name}،',
    about: 'درباره‌ی درخواست شما: {subject}',
    csatQuestion: 'چقدر از کمکی که دریافت کردید راضی هستید؟',
    csatLow: 'اصلاً راضی نیستم',
    csatHigh: 'خیلی راضی هستم',
    npsQuestion: 'چقدر احتمال دارد ما را به یک دوست یا همکار پیشنهاد کنید؟',
    npsLow: 'اصلاً احتمال ندارد',
    npsHigh: 'کاملاً محتمل است',
    comment: 'چیزی هست که بخواهید به ما بگویید؟ (اختیاری)',
    submit: 'ارسال',
    thanks: 'سپاس! پاسخ شما ثبت شد.',
    already: 'شما قبلاً به این نظرسنجی پاسخ داده‌اید. سپاس!',
    notFound: 'این پیوند نظرسنجی معتبر نیست. لطفاً مطمئن شوید که کل پیوند را کپی کرده‌اید.',
    invalid: 'لطفاً یک امتیاز انتخاب کنید.',
  },
  tr: {
    title: 'Nasıldık?',
    greeting: 'Merhaba {name},',
    about: 'Talebiniz hakkında: {subject}',
    csatQuestion: 'Aldığınız destekten ne kadar memnun kaldınız?',
    csatLow: 'Hiç memnun değilim',
    csatHigh: 'Çok memnunum',
    npsQuestion: 'Bizi bir arkadaşınıza veya iş arkadaşınıza tavsiye etme olasılığınız nedir?',
    npsLow: 'Hiç olası değil',
    npsHigh: 'Kesinlikle tavsiye ederim',
    comment: 'Bize söylemek istediğiniz bir şey var mı? (isteğe bağlı)',
    submit: 'Gönder',
    thanks: 'Teşekkürler! Yanıtınız kaydedildi.',
    already: 'Bu anketi zaten yanıtladınız. Teşekkürler!',
    notFound: 'Bu anket bağlantısı geçerli değil. Lütfen bağlantının tamamını kopyaladığınızdan emin olun.',
    invalid: 'Lütfen bir puan seçin.',
  },
} satisfies Record<SurveyLanguage, Record<string, string>>;
export type SurveyTextKey = keyof (typeof surveyText)['en'];

