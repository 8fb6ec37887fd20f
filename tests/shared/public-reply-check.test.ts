// The check before a public reply (issue 22): every reply in `mustWarn` is caught with the
// expected kind, no reply in `mustPass` raises anything. Replies written as agents write them,
// in English, Arabic, Persian and Turkish.
import { describe, expect, test } from 'vitest';
import { asciiDigits, checkPublicReply, type PublicReplySubject, type PublicReplyWarningKind } from '@shared/public-reply-check';

const subject: PublicReplySubject = {
  emails: ['layla.haddad@gmail.com'],
  phones: ['+971501234567'],
  orderNumbers: ['R-10042'],
  customerNames: ['Layla Haddad'],
  otherCustomerNames: ['Omar Farouk', 'Mehmet Yılmaz', 'زهرا احمدی', 'أحمد الزين', 'Jessica Brown'],
  business: { emailDomains: ['shop.example'], phones: ['+1 800 555 0199'] },
};

type Case = [lang: 'en' | 'ar' | 'fa' | 'tr', reply: string, kind: PublicReplyWarningKind];

const mustWarn: Case[] = [
  // Personal data: e-mail
  ['en', 'Hi Layla, we have sent the label to layla.haddad@gmail.com.', 'email'],
  ['en', 'We e-mailed you at l.haddad@outlook.com yesterday.', 'email'],
  ['en', 'Please check layla.haddad@gmail.com for the refund receipt.', 'email'],
  ['ar', 'مرحباً ليلى، أرسلنا الفاتورة إلى layla.haddad@gmail.com', 'email'],
  ['ar', 'راسلناك على بريدك ahmad.z@yahoo.com ولم نتلقَّ رداً.', 'email'],
  ['fa', 'سلام، رسید را به zahra.ahmadi@gmail.com فرستادیم.', 'email'],
  ['fa', 'ایمیل شما (reza1990@yahoo.com) را بررسی کردیم.', 'email'],
  ['tr', 'Merhaba, faturanızı mehmet.yilmaz@hotmail.com adresine gönderdik.', 'email'],
  ['tr', 'ayse_k@gmail.com adresinize dönüş yaptık.', 'email'],
  // Personal data: phone
  ['en', 'We tried to call you on +971 50 123 4567 this morning.', 'phone'],
  ['en', 'Our courier will ring 050-123-4567 before delivery.', 'phone'],
  ['en', 'Is (212) 555-0147 still the best number to reach you?', 'phone'],
  ['ar', 'اتصلنا بك على الرقم 0501234567 ولم ترد.', 'phone'],
  ['ar', 'سنتصل بك على ٠٥٠١٢٣٤٥٦٧ خلال ساعة.', 'phone'],
  ['fa', 'با شماره ۰۹۱۲۳۴۵۶۷۸۹ تماس گرفتیم.', 'phone'],
  ['fa', 'همکارم به شماره 0912 345 6789 زنگ می‌زند.', 'phone'],
  ['tr', '0532 123 45 67 numaralı telefonunuzu aradık.', 'phone'],
  ['tr', 'Kurye +90 532 123 4567 numarasından size ulaşacak.', 'phone'],
  // Personal data: order numbers
  ['en', 'Your order R-10042 was refunded on Monday.', 'order-number'],
  ['en', 'We found order #558812 and it is on its way.', 'order-number'],
  ['en', 'Order number A-77310 has been replaced free of charge.', 'order-number'],
  ['en', 'I looked into #40211 and the parcel was delivered to your neighbour.', 'order-number'],
  ['ar', 'تم شحن طلبك رقم 88120 اليوم.', 'order-number'],
  ['ar', 'رقم الطلب ٥٥٦٧٢ تم استرداده بالكامل.', 'order-number'],
  ['fa', 'سفارش شماره ۴۴۱۲۰ شما فردا می‌رسد.', 'order-number'],
  ['fa', 'شماره سفارش 99120 را بررسی کردیم.', 'order-number'],
  ['tr', 'Sipariş no 55102 için iade işlemi başlatıldı.', 'order-number'],
  ['tr', '77341 numaralı siparişiniz, sipariş numarası TR-77341 ile kargoda.', 'order-number'],
  ['tr', 'R-10042 numaralı siparişinizin iadesi yapıldı.', 'order-number'],
  // Asking to remove or change the review
  ['en', 'Now that it is fixed, could you please remove your review?', 'asks-to-change-review'],
  ['en', 'We would appreciate it if you would update your rating.', 'asks-to-change-review'],
  ['en', 'Would you consider changing your 1-star review?', 'asks-to-change-review'],
  ['en', 'Please take it down once the refund arrives.', 'asks-to-change-review'],
  ['en', 'If we make this right, would you reconsider your rating?', 'asks-to-change-review'],
  ['en', 'Kindly delete this review, we have refunded you.', 'asks-to-change-review'],
  ['en', 'We hope you will give us 5 stars next time you post.', 'asks-to-change-review'],
  ['en', 'Could you edit the review to mention that we replaced the item?', 'asks-to-change-review'],
  ['ar', 'نرجو منك حذف التقييم بعد استلام المبلغ.', 'asks-to-change-review'],
  ['ar', 'هل يمكنك تعديل تقييمك بعد حل المشكلة؟', 'asks-to-change-review'],
  ['ar', 'نأمل أن تغير تقييمك إلى خمس نجوم.', 'asks-to-change-review'],
  ['ar', 'يرجى إزالة المراجعة فقد تم حل الأمر.', 'asks-to-change-review'],
  ['fa', 'لطفاً نظرتان را حذف کنید، مشکل حل شد.', 'asks-to-change-review'],
  ['fa', 'ممنون می‌شویم امتیاز خود را تغییر دهید.', 'asks-to-change-review'],
  ['fa', 'اگر راضی شدید، لطفاً نظرتان را ویرایش کنید.', 'asks-to-change-review'],
  ['fa', 'خواهش می‌کنیم دیدگاه خود را اصلاح بفرمایید.', 'asks-to-change-review'],
  ['tr', 'Sorun çözüldüğüne göre yorumunuzu kaldırmanızı rica ederiz.', 'asks-to-change-review'],
  ['tr', 'Puanınızı güncellemeyi düşünür müsünüz?', 'asks-to-change-review'],
  ['tr', 'Şikayetinizi kaldırabilir misiniz?', 'asks-to-change-review'],
  ['tr', 'Lütfen değerlendirmenizi değiştirin.', 'asks-to-change-review'],
  ['tr', 'İade yapıldı, yorumunuzu silmenizi rica ediyoruz.', 'asks-to-change-review'],
  // Naming another customer
  ['en', 'Unlike Omar Farouk, you received the right size.', 'names-other-customer'],
  ['en', 'Jessica had the same problem and we solved it in a day.', 'names-other-customer'],
  ['ar', 'مثل ما حدث مع أحمد الزين، سنعوضك بالكامل.', 'names-other-customer'],
  ['fa', 'همانطور که به زهرا احمدی گفتیم، ارسال رایگان است.', 'names-other-customer'],
  ['tr', 'Mehmet Yılmaz da aynı sorunu yaşadı, size de yardımcı olacağız.', 'names-other-customer'],
  ['tr', 'Mehmet Bey’in siparişiyle karışmış, özür dileriz.', 'names-other-customer'],
];

const mustPass: [lang: 'en' | 'ar' | 'fa' | 'tr', reply: string][] = [
  ['en', 'Hi Layla, thank you for taking the time to share this. We are sorry the parcel arrived late.'],
  ['en', 'We are sorry about the delay. Please write to support@shop.example and we will sort it out today.'],
  ['en', 'Thanks for the review! We have passed your feedback to the kitchen team.'],
  ['en', 'You can reach us on +1 800 555 0199, Monday to Friday.'],
  ['en', 'The sale ended on 2024-05-12, but we have applied the 15% discount for you anyway.'],
  ['en', 'Your refund of $129.99 is on its way and should arrive within 5–7 business days.'],
  ['en', 'We have updated our returns policy after reading your review.'],
  ['en', 'Thank you for the 5-star review, Layla!'],
  ['en', 'We changed the review process for new products last month.'],
  ['en', 'We read every review and this one helped us fix the checkout page.'],
  ['en', 'Sorry to hear that. We have replaced the blender free of charge.'],
  ['en', 'Our store opens at 9:30 and closes at 21:00 every day since 2019.'],
  ['en', 'We hope to see you again soon. Your feedback makes us better.'],
  ['en', 'We will hope to do better; we removed the fee from your account.'],
  ['en', 'Please send us a private message so we can look into it.'],
  ['ar', 'شكراً لتقييمك يا ليلى، يسعدنا أنك استمتعت بالتجربة.'],
  ['ar', 'نعتذر عن التأخير، يرجى التواصل معنا عبر support@shop.example'],
  ['ar', 'تم حل المشكلة وسنرسل لك بديلاً مجانياً خلال ٣ أيام.'],
  ['ar', 'قرأنا تقييمك وقمنا بتحسين خدمة التوصيل.'],
  ['ar', 'نشكرك على ملاحظاتك القيّمة، سنعمل على تحسين التغليف.'],
  ['ar', 'يمكنك الاتصال بنا على +1 800 555 0199 في أي وقت.'],
  ['ar', 'الخصم ٢٠٪ متاح حتى نهاية الشهر.'],
  ['ar', 'نأسف لتجربتك، فريقنا سيتواصل معك عبر الرسائل الخاصة.'],
  ['ar', 'سعدنا بخدمتك ونتطلع لزيارتك القادمة.'],
  ['ar', 'تم تحديث سياسة الإرجاع بعد ملاحظات عملائنا.'],
  ['ar', 'مرحباً أحمد، شكراً لصبرك.'],
  ['ar', 'السعر الجديد 149.00 ريال يشمل الشحن.'],
  ['fa', 'سلام لیلا، از وقتی که برای نوشتن نظرتان گذاشتید ممنونیم.'],
  ['fa', 'به نظر ما این مشکل از بسته‌بندی بوده و آن را اصلاح کردیم.'],
  ['fa', 'برای پیگیری لطفاً به support@shop.example ایمیل بزنید.'],
  ['fa', 'ارسال رایگان تا ۱۵ آذر ۱۴۰۳ ادامه دارد.'],
  ['fa', 'نظر شما را به تیم فنی منتقل کردیم.'],
  ['fa', 'از امتیاز پنج ستاره‌ای شما سپاسگزاریم.'],
  ['fa', 'مبلغ ۲۵۰٬۰۰۰ تومان به حساب شما برگشت داده شد.'],
  ['fa', 'با پوزش از تأخیر، سفارش شما امروز ارسال شد.'],
  ['fa', 'ما روند بررسی نظرات را تغییر دادیم.'],
  ['fa', 'همکاران ما در ساعات ۹ تا ۱۷ پاسخگو هستند.'],
  ['fa', 'امیدواریم تجربه بعدی شما بهتر باشد.'],
  ['fa', 'شماره پشتیبانی ما +1 800 555 0199 است.'],
  ['tr', 'Merhaba Layla Hanım, yorumunuz için teşekkür ederiz.'],
  ['tr', 'Yaşadığınız sorun için özür dileriz, destek@shop.example adresinden bize yazabilirsiniz.'],
  ['tr', 'Yorumunuzu dikkate aldık ve kargo sürecimizi güncelledik.'],
  ['tr', 'Şikayetinizi inceledik, ürün değişimi yapılacaktır.'],
  ['tr', 'Değerlendirmeniz bizim için çok değerli.'],
  ['tr', 'İndirim %20 olarak 31.12.2024 tarihine kadar geçerlidir.'],
  ['tr', 'Ürün bedeli olan 1.299,90 TL hesabınıza iade edildi.'],
  ['tr', 'Çağrı merkezimize +1 800 555 0199 numarasından ulaşabilirsiniz.'],
  ['tr', 'Puanınız için teşekkürler, sizi tekrar ağırlamak isteriz.'],
  ['tr', 'Yorumlarınızı okuyup paketlemeyi değiştirdik.'],
  ['tr', 'Mağazamız hafta içi 09:00-18:00 saatleri arasında açıktır.'],
  ['tr', 'Sorununuz çözüldü, iyi günlerde kullanın.'],
  ['en', 'Hi Layla, our team will follow up by private message today.'],
  ['en', 'We hope this helps, and thanks again for your honest review.'],
];

describe('checkPublicReply', () => {
  test('the tables are big enough and cover the four languages', () => {
    expect(mustWarn.length).toBeGreaterThanOrEqual(50);
    expect(mustPass.length).toBeGreaterThanOrEqual(50);
    for (const lang of ['en', 'ar', 'fa', 'tr']) {
      expect(mustWarn.filter((c) => c[0] === lang).length, lang).toBeGreaterThanOrEqual(8);
      expect(mustPass.filter((c) => c[0] === lang).length, lang).toBeGreaterThanOrEqual(8);
    }
  });

  test.each(mustWarn)('[%s] warns: %s', (_lang, reply, kind) => {
    const warnings = checkPublicReply(reply, subject);
    expect(warnings.map((w) => w.kind)).toContain(kind);
  });

  test.each(mustPass)('[%s] no warning: %s', (_lang, reply) => {
    expect(checkPublicReply(reply, subject)).toEqual([]);
  });

  test('the warning quotes what triggered it', () => {
    expect(checkPublicReply('Write to layla.haddad@gmail.com.', subject)).toEqual([{ kind: 'email', match: 'layla.haddad@gmail.com' }]);
    expect(checkPublicReply('Your order R-10042 shipped.', subject)).toEqual([{ kind: 'order-number', match: 'order R-10042' }]);
  });

  test('the customer’s own known data is caught even without a keyword', () => {
    expect(checkPublicReply('About R-10042: it shipped.', subject).map((w) => w.kind)).toEqual(['order-number']);
    expect(checkPublicReply('We called 501234567.', subject).map((w) => w.kind)).toEqual(['phone']);
  });

  test('without a subject the generic rules still apply', () => {
    expect(checkPublicReply('Mail me at a@b.example').map((w) => w.kind)).toEqual(['email']);
    expect(checkPublicReply('')).toEqual([]);
  });

  test('Persian and Arabic digits are read as digits', () => {
    expect(asciiDigits('۰۹۱۲ ٠٥٠')).toBe('0912 050');
  });
});
