// Explanations in place: hovering or focusing a control or a metric shows what it is and,
// where one helps, its formula filled with the current values (MathML built from the core's
// `formula`, which reads the lessons' TeX subset). The numbers come from the core
// (`Lab::measures`: the metrics of both parts, the part sizes, the link's settings), so a
// formula says what the page shows. One catalogue per language; tests/e2e/explain.test.mjs
// fails when a key is missing in either.

import { language, translate } from './i18n.js';
import { mathNode } from './lessons.js';

/** How often a shown explanation refreshes its values (training changes them). */
const REFRESH_MS = 700;
/** Hover delay, so moving the pointer across the page does not flash explanations. */
const HOVER_MS = 250;

// Formulas: `tex` is the general form, `live` continues it with the current values ($name:
// a number from the measures or a setting of the link). A `live` part with a value missing
// (say, before the model is fitted) is left out.
const FORMULAS = {
  train: { tex: 'n_{train} = \\frac{p}{100} \\cdot n', live: 'p = $train, n_{train} = $train_n, n_{test} = $test_n' },
  lr: { tex: 'w = w - \\eta \\cdot g', live: '\\eta = $lr' },
  batch: { tex: '\\text{steps} = \\frac{n_{train}}{B}', live: '\\frac{$train_n}{$batch} \\approx $steps' },
  'act.tanh': { tex: 'tanh(z) = \\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}' },
  'act.relu': { tex: 'ReLU(z) = \\max(0, z)' },
  'act.sigmoid': { tex: '\\sigma(z) = \\frac{1}{1 + e^{-z}}' },
  'act.linear': { tex: 'f(z) = z' },
  'reg.l1': { tex: 'J = L + \\lambda \\sum_{j} |w_{j}|', live: '\\lambda = $rate' },
  'reg.l2': { tex: 'J = L + \\lambda \\sum_{j} w_{j}^{2}', live: '\\lambda = $rate' },
  'reg.none': { tex: 'J = L' },
  rate: { tex: 'J = L + \\lambda \\cdot R(w)', live: '\\lambda = $rate' },
  'opt.sgd': { tex: 'w = w - \\eta g', live: '\\eta = $lr' },
  'opt.momentum': { tex: 'v = 0.9 v + g, \\quad w = w - \\eta v', live: '\\eta = $lr' },
  'opt.adam': { tex: 'w = w - \\eta \\frac{\\hat{m}}{\\sqrt{\\hat{v}} + \\epsilon}', live: '\\eta = $lr' },
  hidden: { tex: 'P = \\sum_{l} (n_{l-1} + 1) \\cdot n_{l}', live: '= $parameters' },
  'cv-run': { tex: '\\text{score} = \\frac{1}{k} \\sum_{f=1}^{k} s_{f}', live: 'k = $folds' },
  'search-run': { tex: '\\text{fits} = \\text{candidates} \\times k', live: 'k = $folds' },
  folds: { tex: 'n_{fold} \\approx \\frac{n_{train}}{k}', live: '\\frac{$train_n}{$folds} \\approx $fold_rows' },
  missing: { tex: '\\bar{x} = \\frac{1}{n_{train}} \\sum_{i} x_{i}' },
  'setting.c': { tex: 'J = \\frac{1}{2} |w|^{2} + C \\sum_{i} \\ell_{i}', live: 'C = $c' },
  'setting.alpha': { tex: 'J = \\sum_{i} (y_{i} - \\hat{y}_{i})^{2} + \\alpha \\cdot R(w)', live: '\\alpha = $alpha' },
  'setting.l1ratio': { tex: 'R(w) = \\rho |w|_{1} + \\frac{1 - \\rho}{2} |w|_{2}^{2}', live: '\\rho = $l1ratio' },
  'setting.gamma': { tex: 'K(x, x\') = \\exp(-\\gamma |x - x\'|^{2})', live: '\\gamma = $gamma' },
  'setting.depth': { tex: '\\text{leaves} \\le 2^{d}', live: '2^{$depth} = $leaves' },
  'setting.k': { tex: 'k \\le n_{train}', live: '$k \\le $train_n' },
  'setting.factors': { tex: '\\hat{r}_{ui} = \\mu + u_{u} \\cdot v_{i}', live: 'u, v \\in R^{$factors}' },
  'setting.lambda': { tex: 'J = \\sum (r - \\hat{r})^{2} + \\lambda (\\sum_{u} n_{u} |u_{u}|^{2} + \\sum_{i} n_{i} |v_{i}|^{2})', live: '\\lambda = $lambda' },
  'setting.epsilon': { tex: '\\ell = \\max(0, |y - \\hat{y}| - \\epsilon)', live: '\\epsilon = $epsilon' },
  'setting.smoothing': { tex: '\\sigma_{j}^{2} + \\epsilon \\cdot \\max_{j} \\sigma_{j}^{2}', live: '\\epsilon = $smoothing' },
  'loss.classification': { tex: 'L = -\\frac{1}{n} \\sum_{i} \\log p_{i, y_{i}}' },
  'loss.regression': { tex: 'L = \\frac{1}{n} \\sum_{i} (\\frac{y_{i} - \\hat{y}_{i}}{s_{y}})^{2}' },
  accuracy: { tex: '\\text{accuracy} = \\frac{c}{n}', live: '\\frac{$test_correct}{$test_n} = $test_accuracy' },
  balanced: { tex: '\\frac{1}{K} \\sum_{k} \\text{recall}_{k}' },
  precision: { tex: 'P = \\frac{1}{K} \\sum_{k} \\frac{TP_{k}}{TP_{k} + FP_{k}}', live: '= $test_precision' },
  recall: { tex: 'R = \\frac{1}{K} \\sum_{k} \\frac{TP_{k}}{TP_{k} + FN_{k}}', live: '= $test_recall' },
  f1: { tex: 'F_{1} = \\frac{1}{K} \\sum_{k} \\frac{2 P_{k} R_{k}}{P_{k} + R_{k}}', live: '= $test_f1' },
  f1w: { tex: 'F_{1} = \\sum_{k} \\frac{n_{k}}{n} F_{1, k}' },
  logloss: { tex: '-\\frac{1}{n} \\sum_{i} \\log p_{i, y_{i}}' },
  auc: { tex: '\\text{AUC} = \\frac{1}{K} \\sum_{k} \\text{AUC}_{k}' },
  ap: { tex: '\\text{AP} = \\sum_{t} (R_{t} - R_{t-1}) P_{t}' },
  mse: { tex: '\\text{MSE} = \\frac{1}{n} \\sum_{i} (y_{i} - \\hat{y}_{i})^{2}', live: '= $test_mse' },
  rmse: { tex: '\\text{RMSE} = \\sqrt{\\text{MSE}}', live: '= \\sqrt{$test_mse} = $test_rmse' },
  mae: { tex: '\\text{MAE} = \\frac{1}{n} \\sum_{i} |y_{i} - \\hat{y}_{i}|', live: '= $test_mae' },
  r2: { tex: 'R^{2} = 1 - \\frac{SS_{res}}{SS_{tot}}', live: '= 1 - \\frac{$test_ss_res}{$test_ss_tot} = $test_r2' },
  silhouette: { tex: 's_{i} = \\frac{b_{i} - a_{i}}{\\max(a_{i}, b_{i})}' },
  ari: { tex: '\\text{ARI} = \\frac{\\text{RI} - E[\\text{RI}]}{\\max(\\text{RI}) - E[\\text{RI}]}' },
};

export const EXPLAIN = {
  en: {
    data: ['Dataset', 'The points or the table the model learns from. Generated sets are drawn from a seed; real ones ship with the page.'],
    samples: ['Points', 'How many points the generator draws. More points show the shape better and take longer to train on.'],
    noise: ['Noise', 'How much each generated point is pushed off its ideal place, in percent. Noise makes classes overlap, so no model can be perfect.'],
    train: ['Training share', 'The share p of the rows the model learns from; the rest, the test part, is kept aside to check it honestly.'],
    dseed: ['Data seed', 'The seed of the random draws that make the data and the split: the same seed gives the same points.'],
    seed: ['Model seed', 'The seed of the starting weights and of the shuffling: the same seed gives the same training, bit for bit.'],
    lr: ['Learning rate', 'How far each update moves the weights along the gradient g (η). Too small learns slowly; too large overshoots and diverges.'],
    act: ['Activation', 'The function each hidden neuron applies to its weighted sum z. Without one, the layers would add up to a straight line.'],
    reg: ['Regularisation', 'A penalty on the weights added to the loss L: L1 pushes weights to exactly zero, L2 keeps them all small.'],
    rate: ['Regularisation rate', 'How much the penalty R(w) weighs against the loss (λ). Larger: a smoother, simpler model.'],
    opt: ['Optimiser', 'How the gradient turns into an update: plain SGD, momentum (remembers past steps) or Adam (scales each weight’s step).'],
    batch: ['Batch size', 'Rows averaged for each update. Small batches give noisy but many updates per epoch; large ones few and smooth.'],
    stop: ['Pause after', 'Training pauses by itself after this many epochs (0: never), so a link can show a given moment.'],
    hidden: ['Hidden layers', 'The network’s shape: layers of neurons between inputs and output. Each neuron has a weight per input and a bias; P counts them all.'],
    features: ['Input features', 'What the network sees of each point: the coordinates x₁, x₂ and products or sines of them. A curved boundary is easy with the right feature.'],
    test: ['Show test data', 'Draws the test points too (outlined); they are never used for training.'],
    discrete: ['Discretize output', 'Shows only the predicted class or sign, without the model’s confidence.'],
    task: ['Task', 'The kind of problem: predict a class, predict a number, find groups, or reduce the dimensions.'],
    model: ['Model', 'The algorithm that learns. Each has its own settings, shown below it with their defaults.'],
    target: ['Target', 'The column the model predicts; every other kept column is an input.'],
    framing: ['Framing', 'Whether the target is a class to pick or a number to predict.'],
    missing: ['Missing values', 'What replaces an empty cell: the training mean, median or most frequent value, or the row is dropped. Fitted on training rows only.'],
    'view-mode': ['2-D view', 'Which plane of the inputs the big view draws: two chosen inputs, or the two directions of most variance (PCA).'],
    folds: ['Folds', 'Cross-validation cuts the training rows into k folds; each fold is tested once by a model trained on the others.'],
    strat: ['Stratified split', 'Keeps each class’s share equal in the training and test parts (and in every fold).'],
    loss: ['Loss', 'What training minimises, averaged over the rows: cross-entropy for classes, squared error (in standard deviations of the target) for numbers.'],
    accuracy: ['Accuracy', 'The share of test rows whose class is predicted right: c correct of n.'],
    balanced: ['Balanced accuracy', 'The mean of the recall of each class: a rare class counts as much as a common one.'],
    precision: ['Precision (macro)', 'Of the rows predicted as a class, the share that really are, averaged over the K classes.'],
    recall: ['Recall (macro)', 'Of the rows of a class, the share the model finds, averaged over the K classes.'],
    f1: ['F1 (macro)', 'The harmonic mean of precision and recall, per class, averaged over the classes.'],
    f1w: ['F1 (weighted)', 'Each class’s F1 weighted by its number of rows.'],
    logloss: ['Log loss', 'The mean of −log of the probability given to the true class: confident mistakes cost most.'],
    auc: ['ROC AUC', 'The chance that a random row of a class scores above a random row of another (one class against the rest, averaged). 0.5 is guessing.'],
    ap: ['Average precision', 'The area under the precision–recall curve, averaged over the classes.'],
    mse: ['MSE', 'The mean squared error of the predictions, in squared target units.'],
    rmse: ['RMSE', 'The square root of the MSE: a typical error, in the target’s own units.'],
    mae: ['MAE', 'The mean absolute error: the average distance between prediction and truth.'],
    r2: ['R²', 'The share of the target’s variance the model explains: 1 is perfect, 0 is no better than predicting the mean, below 0 is worse.'],
    silhouette: ['Silhouette', 'How much closer each point is to its own cluster (a) than to the next one (b): from −1 to 1.'],
    ari: ['Adjusted Rand index', 'How well the clusters match the true classes, corrected for chance: 1 the same grouping, 0 chance.'],
    reset: ['Reset', 'Starts the training again from the seeded starting weights: the same link gives the same run.'],
    play: ['Play', 'Trains continuously, a slice per frame, so the page stays responsive; press again to pause.'],
    step: ['Step', 'One epoch of the network, or one iteration of a classical model (a tree of a forest, a k-means update…).'],
    classes: ['Classes', 'How many clouds the blobs generator draws, one class each.'],
    regenerate: ['Regenerate data', 'Draws new points from a new data seed (it goes into the link); the model starts again.'],
    'csv-file': ['Open a file', 'Your CSV or TSV, an experiment file or a model file. It is read in the page and never leaves it.'],
    'loss-chart': ['Loss by epoch', 'The training loss (solid) and the test loss (dashed) after each epoch. A test curve that turns up while the training one keeps falling is overfitting.'],
    'cv-run': ['Cross-validate', 'Fits k fresh models, each on all training folds but one, and scores it on the one left out: k fits in all.'],
    'lc-run': ['Learning curve', 'Refits the model on 10 % to 100 % of the training rows and scores each on those rows and on the test part.'],
    'search-kind': ['Search kind', 'Grid tries every combination of the listed values; random draws the given number of candidates from the ranges.'],
    'search-tries': ['Candidates', 'How many settings a random search draws (a grid’s size is the product of its lists).'],
    'search-run': ['Run search', 'Scores every candidate by cross-validation on the training rows only; the test part stays untouched for the final check.'],
    'search-apply': ['Apply best', 'Sets the best candidate’s settings on the experiment (and in the link).'],
    'pin-run': ['Pin this run', 'Keeps this run’s settings and scores in a leaderboard, to compare with the runs you pin next.'],
    'class-table': ['Per class', 'Precision, recall and F1 of each class on the test part, and their plain and weighted means.'],
    confusion: ['Confusion matrix', 'Test rows counted by true class (rows) and predicted class (columns); the diagonal is right. Click a cell to pick its rows in the view.'],
    export: ['Export', 'Downloads made in the page: the model, a web page that predicts offline, a notebook or Spark script that redoes the experiment, the predictions, or a chart.'],
    share: ['Share', 'A link that reproduces this experiment exactly, a QR code for a phone, an embed snippet or an experiment file.'],
    setting: ['Setting', ''],
  },
  id: {
    data: ['Dataset', 'Titik atau tabel tempat model belajar. Set buatan ditarik dari sebuah seed; set nyata ikut dimuat bersama halaman.'],
    samples: ['Jumlah titik', 'Banyaknya titik yang dibuat generator. Lebih banyak titik memperlihatkan bentuknya lebih jelas dan butuh waktu latih lebih lama.'],
    noise: ['Derau', 'Seberapa jauh setiap titik buatan digeser dari tempat idealnya, dalam persen. Derau membuat kelas saling tumpang tindih, sehingga tak ada model yang sempurna.'],
    train: ['Porsi latih', 'Porsi p dari baris yang dipakai model untuk belajar; sisanya, bagian uji, disimpan untuk memeriksanya secara jujur.'],
    dseed: ['Seed data', 'Seed dari undian acak yang membuat data dan pembagiannya: seed yang sama memberi titik yang sama.'],
    seed: ['Seed model', 'Seed bobot awal dan pengacakan urutan: seed yang sama memberi pelatihan yang sama, bit demi bit.'],
    lr: ['Laju pembelajaran (learning rate)', 'Seberapa jauh setiap pembaruan menggeser bobot sepanjang gradien g (η). Terlalu kecil belajar lambat; terlalu besar melompati dan menyimpang.'],
    act: ['Aktivasi', 'Fungsi yang diterapkan setiap neuron tersembunyi pada jumlah berbobotnya z. Tanpanya, lapisan-lapisan hanya menjadi satu garis lurus.'],
    reg: ['Regularisasi', 'Penalti pada bobot yang ditambahkan ke loss L: L1 mendorong bobot menjadi tepat nol, L2 menjaga semuanya kecil.'],
    rate: ['Laju regularisasi', 'Seberapa berat penalti R(w) dibanding loss (λ). Lebih besar: model lebih halus dan sederhana.'],
    opt: ['Pengoptimal', 'Cara gradien menjadi pembaruan: SGD biasa, momentum (mengingat langkah sebelumnya) atau Adam (menskalakan langkah setiap bobot).'],
    batch: ['Ukuran batch', 'Banyaknya baris yang dirata-ratakan untuk setiap pembaruan. Batch kecil memberi banyak pembaruan yang berisik per epoch; batch besar sedikit dan halus.'],
    stop: ['Jeda setelah', 'Pelatihan berhenti sendiri setelah sekian epoch (0: tidak pernah), supaya tautan bisa menunjukkan saat tertentu.'],
    hidden: ['Lapisan tersembunyi', 'Bentuk jaringan: lapisan neuron di antara input dan output. Setiap neuron punya satu bobot per input dan satu bias; P menghitung semuanya.'],
    features: ['Fitur input', 'Apa yang dilihat jaringan dari setiap titik: koordinat x₁, x₂ serta hasil kali atau sinusnya. Batas melengkung jadi mudah dengan fitur yang tepat.'],
    test: ['Tampilkan data uji', 'Menggambar titik uji juga (bergaris tepi); titik ini tidak pernah dipakai untuk latihan.'],
    discrete: ['Output diskret', 'Hanya menampilkan kelas atau tanda yang ditebak, tanpa tingkat keyakinan model.'],
    task: ['Tugas', 'Jenis masalahnya: menebak kelas, menebak angka, menemukan kelompok, atau mengurangi dimensi.'],
    model: ['Model', 'Algoritma yang belajar. Setiap model punya pengaturannya sendiri, ditampilkan di bawahnya beserta nilai bawaannya.'],
    target: ['Target', 'Kolom yang ditebak model; setiap kolom lain yang dipertahankan menjadi input.'],
    framing: ['Pembingkaian', 'Apakah target adalah kelas yang dipilih atau angka yang ditebak.'],
    missing: ['Nilai kosong', 'Pengganti sel kosong: rata-rata, median atau nilai tersering dari data latih, atau barisnya dibuang. Dihitung dari baris latih saja.'],
    'view-mode': ['Tampilan 2-D', 'Bidang input mana yang digambar tampilan besar: dua input pilihan, atau dua arah dengan variansi terbesar (PCA).'],
    folds: ['Fold', 'Validasi silang memotong baris latih menjadi k fold; setiap fold diuji sekali oleh model yang dilatih pada fold lainnya.'],
    strat: ['Pembagian berstrata', 'Menjaga porsi setiap kelas sama di bagian latih dan uji (dan di setiap fold).'],
    loss: ['Loss', 'Yang diminimalkan pelatihan, dirata-ratakan atas baris: cross-entropy untuk kelas, galat kuadrat (dalam simpangan baku target) untuk angka.'],
    accuracy: ['Akurasi', 'Porsi baris uji yang kelasnya ditebak benar: c benar dari n.'],
    balanced: ['Akurasi seimbang', 'Rata-rata recall setiap kelas: kelas yang jarang dihitung sama dengan kelas yang umum.'],
    precision: ['Presisi (makro)', 'Dari baris yang ditebak sebagai suatu kelas, porsi yang memang kelas itu, dirata-ratakan atas K kelas.'],
    recall: ['Recall (makro)', 'Dari baris suatu kelas, porsi yang ditemukan model, dirata-ratakan atas K kelas.'],
    f1: ['F1 (makro)', 'Rata-rata harmonik presisi dan recall, per kelas, dirata-ratakan atas kelas.'],
    f1w: ['F1 (berbobot)', 'F1 setiap kelas diberi bobot sesuai banyak barisnya.'],
    logloss: ['Log loss', 'Rata-rata −log dari peluang yang diberikan pada kelas yang benar: kesalahan yang yakin paling mahal.'],
    auc: ['ROC AUC', 'Peluang sebuah baris acak dari suatu kelas mendapat skor di atas baris acak kelas lain (satu kelas lawan sisanya, dirata-ratakan). 0.5 berarti menebak.'],
    ap: ['Presisi rata-rata', 'Luas di bawah kurva presisi–recall, dirata-ratakan atas kelas.'],
    mse: ['MSE', 'Rata-rata kuadrat galat tebakan, dalam satuan target kuadrat.'],
    rmse: ['RMSE', 'Akar dari MSE: galat yang umum, dalam satuan target itu sendiri.'],
    mae: ['MAE', 'Rata-rata galat mutlak: jarak rata-rata antara tebakan dan kebenaran.'],
    r2: ['R²', 'Porsi variansi target yang dijelaskan model: 1 sempurna, 0 tidak lebih baik dari menebak rata-rata, di bawah 0 lebih buruk.'],
    silhouette: ['Silhouette', 'Seberapa lebih dekat setiap titik ke klasternya sendiri (a) dibanding ke klaster terdekat berikutnya (b): dari −1 sampai 1.'],
    ari: ['Indeks Rand tersesuaikan', 'Seberapa cocok klaster dengan kelas sebenarnya, dikoreksi untuk kebetulan: 1 pengelompokan yang sama, 0 kebetulan.'],
    reset: ['Ulang', 'Memulai pelatihan lagi dari bobot awal ber-seed: tautan yang sama memberi jalannya pelatihan yang sama.'],
    play: ['Jalankan', 'Melatih terus-menerus, satu potongan per frame, supaya halaman tetap responsif; tekan lagi untuk jeda.'],
    step: ['Langkah', 'Satu epoch jaringan, atau satu iterasi model klasik (satu pohon dari hutan, satu pembaruan k-means…).'],
    classes: ['Kelas', 'Banyaknya gumpalan yang dibuat generator blobs, masing-masing satu kelas.'],
    regenerate: ['Buat ulang data', 'Menarik titik baru dari seed data baru (masuk ke tautan); model mulai lagi.'],
    'csv-file': ['Buka berkas', 'CSV atau TSV Anda, berkas eksperimen atau berkas model. Dibaca di halaman ini dan tidak pernah meninggalkannya.'],
    'loss-chart': ['Loss per epoch', 'Loss latih (garis penuh) dan loss uji (putus-putus) setelah setiap epoch. Kurva uji yang naik sementara kurva latih terus turun adalah overfitting.'],
    'cv-run': ['Validasi silang', 'Melatih k model baru, masing-masing pada semua fold latih kecuali satu, lalu menilainya pada fold yang ditinggalkan: k kali pelatihan.'],
    'lc-run': ['Kurva pembelajaran', 'Melatih ulang model pada 10 % sampai 100 % baris latih dan menilai masing-masing pada baris itu dan pada bagian uji.'],
    'search-kind': ['Jenis pencarian', 'Grid mencoba setiap kombinasi nilai yang didaftar; acak menarik sejumlah kandidat dari rentangnya.'],
    'search-tries': ['Kandidat', 'Banyaknya pengaturan yang ditarik pencarian acak (ukuran grid adalah hasil kali panjang daftarnya).'],
    'search-run': ['Jalankan pencarian', 'Menilai setiap kandidat dengan validasi silang pada baris latih saja; bagian uji tetap tak tersentuh untuk pemeriksaan akhir.'],
    'search-apply': ['Terapkan yang terbaik', 'Memasang pengaturan kandidat terbaik pada eksperimen (dan di tautan).'],
    'pin-run': ['Sematkan jalannya ini', 'Menyimpan pengaturan dan skor jalannya ini di papan peringkat, untuk dibandingkan dengan yang Anda sematkan berikutnya.'],
    'class-table': ['Per kelas', 'Presisi, recall dan F1 setiap kelas pada bagian uji, beserta rata-rata biasa dan berbobotnya.'],
    confusion: ['Confusion matrix', 'Baris uji dihitung menurut kelas sebenarnya (baris) dan kelas tebakan (kolom); diagonal berarti benar. Klik sebuah sel untuk memilih baris-barisnya di tampilan.'],
    export: ['Ekspor', 'Unduhan yang dibuat di halaman: model, halaman web yang menebak tanpa jaringan, notebook atau skrip Spark yang mengulang eksperimen, prediksi, atau grafik.'],
    share: ['Bagikan', 'Tautan yang mereproduksi eksperimen ini persis, kode QR untuk ponsel, potongan kode sematan, atau berkas eksperimen.'],
    setting: ['Pengaturan', ''],
  },
};

/** Explanation keys of the page's fixed controls and outputs, by element id. */
export const BY_ID = {
  data: 'data', 'real-data': 'data', samples: 'samples', noise: 'noise', train: 'train', dseed: 'dseed', seed: 'seed',
  lr: 'lr', act: 'act', reg: 'reg', rate: 'rate', opt: 'opt', batch: 'batch', stop: 'stop',
  'add-layer': 'hidden', 'remove-layer': 'hidden', 'layer-count': 'hidden', 'feature-toggles': 'features',
  test: 'test', discrete: 'discrete', task: 'task', model: 'model', target: 'target', framing: 'framing',
  missing: 'missing', 'view-mode': 'view-mode', folds: 'folds', strat: 'strat',
  'train-loss': 'loss', 'test-loss': 'loss', 'train-acc': 'accuracy', 'test-acc': 'accuracy',
  reset: 'reset', play: 'play', step: 'step', classes: 'classes', regenerate: 'regenerate', 'csv-file': 'csv-file',
  'loss-chart': 'loss-chart', 'cv-run': 'cv-run', 'lc-run': 'lc-run', 'search-kind': 'search-kind',
  'search-tries': 'search-tries', 'search-run': 'search-run', 'search-apply': 'search-apply', 'pin-run': 'pin-run',
  'class-table': 'class-table', confusion: 'confusion', share: 'share',
  'export-model': 'export', 'export-page': 'export', 'export-notebook': 'export', 'export-spark': 'export',
  'export-spark-notebook': 'export', 'export-predictions': 'export', 'export-view': 'export', 'export-loss': 'export',
};

/** The rows of the metrics table, in the order the page writes them, by kind of problem. */
const METRIC_ROWS = {
  classification: ['accuracy', 'balanced', 'precision', 'recall', 'f1', 'f1w', 'logloss', 'auc', 'ap'],
  regression: ['mse', 'rmse', 'mae', 'r2'],
  clustering: ['silhouette', 'ari'],
};

function fmt(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (Number.isInteger(v)) return String(v);
  // Three significant digits, never an exponent (the formula reader would take "e" for a letter).
  const r = Number(v.toPrecision(3));
  const s = String(r);
  return s.includes('e') ? r.toFixed(20).replace(/\.?0+$/, '') : s;
}

/** The values a formula can use: the core's measures, the link's settings, and a few
 * derived from them (counts behind the ratios). */
function values(lab) {
  const m = lab.measures();
  const v = { ...m.numbers };
  for (const [k, s] of Object.entries(m.settings)) if (!(k in v) && s !== '' && Number.isFinite(Number(s))) v[k] = Number(s);
  if (v.batch && v.train_n) v.steps = Math.ceil(v.train_n / v.batch);
  // Cross-validation runs 5 folds unless the link sets others.
  if (!v.folds) v.folds = 5;
  if (v.train_n) v.fold_rows = Math.round(v.train_n / v.folds);
  if (v.depth !== undefined) v.leaves = 2 ** v.depth;
  return { v, settings: m.settings };
}

/** The explanation key of an element (or of its label), or null. */
export function keyOf(el, lab) {
  for (let e = el, up = 0; e && up < 4; e = e.parentElement, up++) {
    if (e.dataset && e.dataset.explain) return e.dataset.explain;
    if (e.id && e.id.startsWith('set-')) return 'setting.' + e.id.slice(4);
    if (e.id && BY_ID[e.id]) return BY_ID[e.id];
    if (e.tagName === 'LABEL' && e.control && e.control !== el) return keyOf(e.control, lab);
    const row = e.closest && e.closest('#metrics-table tbody tr');
    if (row) {
      const kind = lab.stats().kind;
      return (METRIC_ROWS[kind] || [])[row.sectionRowIndex] || null;
    }
  }
  return null;
}

/** Title, text and formula (TeX) of an explanation for the current experiment. */
export function explanation(key, lab, models, lang = language()) {
  const cat = EXPLAIN[lang] || EXPLAIN.en;
  const { v, settings } = values(lab);
  let title, text, formula;
  if (key.startsWith('setting.')) {
    const name = key.slice(8);
    const model = models.find((m) => m.id === settings.model);
    const s = model && model.settings.find((x) => x.key === name);
    // The setting's own words, in the page's language where the catalogue has them.
    const keys = (part) => [`setting.${settings.model}.${name}.${part}`, `setting.${name}.${part}`];
    title = s ? translate(keys('label'), s.label) : name;
    text = s ? translate(keys('hint'), s.hint) : '';
    formula = FORMULAS[`setting.${name}`];
    if (s && s.type !== 'choice' && v[name] !== undefined) text += ` (${cat.setting[0]}: ${name} = ${fmt(v[name])})`;
  } else {
    [title, text] = cat[key] || EXPLAIN.en[key] || [key, ''];
    const pick = { act: `act.${settings.act}`, reg: `reg.${settings.reg}`, opt: `opt.${settings.opt}` };
    if (key === 'loss') formula = FORMULAS[`loss.${lab.stats().task}`];
    else formula = FORMULAS[pick[key] || key];
  }
  let tex = formula ? formula.tex : null;
  if (formula && formula.live) {
    let complete = true;
    const live = formula.live.replace(/\$(\w+)/g, (_, name) => {
      const s = fmt(v[name]);
      if (s === null) complete = false;
      return s ?? '';
    });
    // "= …" continues the formula; anything else is a second statement beside it.
    if (complete) tex += (live.startsWith('=') ? ' ' : ', \\quad ') + live;
  }
  return { key, title, text, tex };
}

/** Shows explanations on hover (after a short delay) and on keyboard focus; Escape hides. */
export function initExplain({ getLab, models, formula }) {
  const tip = document.createElement('div');
  tip.id = 'explain';
  tip.className = 'explain';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);
  let target = null;
  let hoverTimer = 0;
  let refresh = 0;

  const render = () => {
    if (!target) return;
    const key = keyOf(target, getLab());
    if (!key) return hide();
    const e = explanation(key, getLab(), models());
    const title = document.createElement('strong');
    title.textContent = e.title;
    const text = document.createElement('p');
    text.textContent = e.text;
    const parts = [title, text];
    if (e.tex) {
      const math = mathNode(formula(e.tex));
      const box = document.createElement('div');
      box.className = 'explain-formula';
      box.appendChild(math);
      parts.push(box);
    }
    tip.replaceChildren(...parts);
    tip.dataset.key = key;
  };
  const place = () => {
    const r = target.getBoundingClientRect();
    const w = Math.min(340, innerWidth - 16);
    tip.style.maxWidth = w + 'px';
    const left = Math.max(8, Math.min(r.left, innerWidth - w - 8));
    const below = r.bottom + 6 + tip.offsetHeight < innerHeight;
    tip.style.left = left + scrollX + 'px';
    tip.style.top = (below ? r.bottom + 6 : Math.max(8, r.top - 6 - tip.offsetHeight)) + scrollY + 'px';
  };
  const show = (el) => {
    if (!keyOf(el, getLab())) return;
    if (target && target !== el) target.removeAttribute('aria-describedby');
    target = el;
    target.setAttribute('aria-describedby', 'explain');
    render();
    tip.hidden = false;
    place();
    clearInterval(refresh);
    refresh = setInterval(() => {
      if (!target || !target.isConnected) return hide();
      render();
    }, REFRESH_MS);
  };
  const hide = () => {
    clearTimeout(hoverTimer);
    clearInterval(refresh);
    if (target) target.removeAttribute('aria-describedby');
    target = null;
    tip.hidden = true;
  };
  document.addEventListener('pointerover', (ev) => {
    if (ev.pointerType === 'touch' || tip.contains(ev.target)) return;
    clearTimeout(hoverTimer);
    const el = ev.target;
    if (!keyOf(el, getLab())) return;
    hoverTimer = setTimeout(() => show(el), HOVER_MS);
  });
  document.addEventListener('pointerout', (ev) => {
    clearTimeout(hoverTimer);
    if (target && !target.contains(ev.relatedTarget) && document.activeElement !== target) hide();
  });
  document.addEventListener('focusin', (ev) => show(ev.target));
  document.addEventListener('focusout', () => { if (target && document.activeElement !== target) hide(); });
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && target) hide(); });
  // Outputs and metric names are not controls: make them reachable by keyboard too.
  for (const id of ['train-loss', 'test-loss', 'train-acc', 'test-acc']) {
    const el = document.getElementById(id);
    if (el) el.tabIndex = 0;
  }
  const table = document.getElementById('metrics-table');
  if (table) {
    new MutationObserver(() => {
      for (const th of table.querySelectorAll('tbody th')) th.tabIndex = 0;
    }).observe(table, { childList: true, subtree: true });
  }
  return { hide, get shown() { return target ? tip.dataset.key : null; } };
}
